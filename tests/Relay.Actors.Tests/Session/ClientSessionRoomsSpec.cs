using System.Text;
using Akka.TestKit.Xunit2;
using Relay.Actors.Fanout;
using Relay.Actors.Presence;
using Relay.Actors.Registry;
using Relay.Actors.Session;

namespace Relay.Actors.Tests.Session;

/// <summary>Broadcast, rooms and presence as session logic, without sockets: what goes to the fan-out actor, what the client is told.</summary>
public sealed class ClientSessionRoomsSpec : TestKit
{
    [Fact]
    public void Publishes_the_broadcasts_and_room_messages_of_one_read_as_one_batch_in_order()
    {
        var client = new SessionHarness(this).Register(1);

        client.Input("JOIN:dev\nALL:first\nROOM:dev:second\nALL:third\n");

        Assert.Equal("OK:JOIN:dev\n", client.TakeOutput());
        var batch = client.Fanout.ExpectMsg<PublishFanout>().Batch;
        Assert.Equal(1, batch.SenderId);
        Assert.Equal([("", "first"), ("dev", "second"), ("", "third")], Entries(batch));
        client.Fanout.ExpectNoMsg(TimeSpan.FromMilliseconds(50));
    }

    [Fact]
    public void Refuses_a_room_message_from_a_client_that_is_not_a_member_and_publishes_nothing()
    {
        var client = new SessionHarness(this).Register(1);

        client.Input("ROOM:dev:hi\nJOIN:dev\nLEAVE:dev\nROOM:dev:after leaving\n");

        Assert.Equal(
            "ERROR:NOT_MEMBER:not in room dev; JOIN:dev first\nOK:JOIN:dev\nOK:LEAVE:dev\nERROR:NOT_MEMBER:not in room dev; JOIN:dev first\n",
            client.TakeOutput());
        client.Fanout.ExpectNoMsg(TimeSpan.FromMilliseconds(50));
    }

    [Fact]
    public void Refuses_a_join_beyond_the_room_limit_but_accepts_a_repeated_join()
    {
        var client = new SessionHarness(this, "relay.connection.max-rooms = 2").Register(1);

        client.Input("JOIN:a\nJOIN:b\nJOIN:a\nJOIN:c\nLEAVE:a\nJOIN:c\n");

        Assert.Equal(
            "OK:JOIN:a\nOK:JOIN:b\nOK:JOIN:a\nERROR:TOO_MANY_ROOMS:already in 2 rooms, the most one client may join\nOK:LEAVE:a\nOK:JOIN:c\n",
            client.TakeOutput());
        Assert.Equal(["b", "c"], client.Presence.Local.View.Rooms);
    }

    [Fact]
    public void Lists_members_rooms_and_who_is_online_a_page_at_a_time()
    {
        var presence = new ClusterPresence(new NodePresence());
        var local = new LocalClients();
        const string pages = "relay.connection.list-page-size = 2";
        var others = Enumerable.Range(2, 3).Select(id => new SessionHarness(this, pages, local, presence: presence).Register(id)).ToList();
        foreach (var other in others)
            other.Input("JOIN:dev\n");
        others[0].Input("JOIN:art\nJOIN:zoo\n");
        var client = new SessionHarness(this, pages, local, presence: presence).Register(1);

        client.Input("WHO\nWHO:2\nMEMBERS:dev\nMEMBERS:dev:3\nROOMS\nROOMS:dev\nMEMBERS:none\n");

        Assert.Equal(
            "WHO:4:1,2:MORE\nWHO:4:3,4\nMEMBERS:dev:3:2,3:MORE\nMEMBERS:dev:3:4\nROOMS:art=1,dev=3:MORE\nROOMS:zoo=1\nMEMBERS:none:0:\n",
            client.TakeOutput());
    }

    [Fact]
    public void Leaves_its_rooms_and_the_presence_when_it_quits()
    {
        var client = new SessionHarness(this).Register(1);
        client.Input("JOIN:a\nJOIN:b\nWATCH:ON\n");
        Assert.Single(client.Presence.Local.Watchers);

        client.Input("QUIT\n");
        client.TakeOutput();

        Assert.True(client.Closed);
        Assert.Empty(client.Presence.Local.View.Rooms);
        Assert.Empty(client.Presence.Local.View.Online);
        Assert.Empty(client.Presence.Local.InboxesIn("a"));
        Assert.Empty(client.Presence.Local.Watchers);
    }

    [Fact]
    public void Leaves_its_rooms_when_it_is_disconnected_as_a_slow_consumer()
    {
        var client = new SessionHarness(this).Register(1);
        client.Input("JOIN:a\n");

        client.Session.Handle(InboxOverflowed.Instance);

        Assert.True(client.Aborted);
        Assert.Empty(client.Presence.Local.View.Rooms);
    }

    [Fact]
    public void Answers_PING_after_a_broadcast_only_once_the_fanout_confirmed_it()
    {
        var client = new SessionHarness(this).Register(1);

        client.Input("ALL:hi\nPING\n");

        client.Fanout.ExpectMsg<PublishFanout>();
        var barrier = client.Fanout.ExpectMsg<FanoutBarrier>();
        Assert.Equal("", client.TakeOutput());
        client.Session.Handle(new BlockBarrier(FanoutActor.BarrierBlock, barrier.Token));
        Assert.Equal("PONG\n", client.TakeOutput());
    }

    [Fact]
    public void Stops_reading_a_broadcasting_client_while_two_fanout_windows_are_unconfirmed()
    {
        var client = new SessionHarness(this, "relay.connection.fanout-window-messages = 2").Register(1);

        client.Input("ALL:1\nALL:2\n");
        Assert.True(client.InputRequested, "one window in flight must not pause reading");
        client.Input("ALL:3\nALL:4\n");

        Assert.False(client.InputRequested, "the session read on with two windows unconfirmed");
        client.Fanout.ExpectMsg<PublishFanout>();
        var first = client.Fanout.ExpectMsg<FanoutBarrier>();
        client.Fanout.ExpectMsg<PublishFanout>();
        client.Fanout.ExpectMsg<FanoutBarrier>();
        client.Session.Handle(new BlockBarrier(FanoutActor.BarrierBlock, first.Token));
        Assert.True(client.InputRequested, "the session did not read on once the first window was confirmed");
    }

    [Fact]
    public void Writes_fanout_lines_to_its_client()
    {
        var client = new SessionHarness(this).Register(1);
        Assert.True(client.Local.TryGet(1, out var inbox));

        new FanoutLines(Encoding.UTF8.GetBytes("ALL:2:hi\nROOM:dev:2:there\n")).SendTo(inbox);
        client.ProcessMailbox();

        Assert.Equal("ALL:2:hi\nROOM:dev:2:there\n", client.TakeOutput());
    }

    private static List<(string Room, string Payload)> Entries(FanoutBatch batch)
    {
        var result = new List<(string, string)>();
        ReadOnlySpan<byte> entries = batch.Entries;
        while (FanoutEntries.TryRead(ref entries, out var room, out var payload))
            result.Add((Encoding.ASCII.GetString(room), Encoding.UTF8.GetString(payload)));
        Assert.True(entries.IsEmpty, "torn entry");
        return result;
    }
}
