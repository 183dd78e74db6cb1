using System.Buffers;
using System.Text;
using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using Relay.Actors.Fanout;
using Relay.Actors.Presence;
using Relay.Actors.Registry;
using Relay.Actors.Session;

namespace Relay.Actors.Tests.Fanout;

/// <summary>The node's fan-out actor on a node of its own: who gets what, once, and who is left out.</summary>
public sealed class FanoutActorSpec() : TestKit(RelayNode.LoadConfig(overrides: "akka.remote.dot-netty.tcp.port = 0"))
{
    private readonly LocalClients _clients = new();
    private readonly NodePresence _presence = new();

    [Fact]
    public void Delivers_a_room_message_once_to_every_member_on_the_node_but_the_sender()
    {
        var members = Enumerable.Range(1, 3).Select(id => Client(id, "dev")).ToList();
        var outsider = Client(4);
        var fanout = Start();

        fanout.Tell(new PublishFanout(Batch(1, ("dev", "one"), ("dev", "two"))));

        foreach (var member in members.Skip(1))
            Assert.Equal("ROOM:dev:1:one\nROOM:dev:1:two\n", Encoding.UTF8.GetString(member.Probe.ExpectMsg<FanoutLines>().Lines));
        members[0].Probe.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        outsider.Probe.ExpectNoMsg(TimeSpan.FromMilliseconds(10));
    }

    [Fact]
    public void Delivers_a_broadcast_to_every_client_of_the_node_but_the_sender_and_keeps_runs_in_order()
    {
        var sender = Client(1, "dev");
        var inRoom = Client(2, "dev");
        var notInRoom = Client(3);
        var fanout = Start();

        fanout.Tell(new PublishFanout(Batch(1, ("", "a"), ("", "b"), ("dev", "c"), ("", "d"))));

        Assert.Equal(["ALL:1:a\nALL:1:b\n", "ROOM:dev:1:c\n", "ALL:1:d\n"], Received(inRoom.Probe, 3));
        Assert.Equal(["ALL:1:a\nALL:1:b\n", "ALL:1:d\n"], Received(notInRoom.Probe, 2));
        sender.Probe.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void Disconnects_a_member_without_room_for_the_message_and_delivers_to_the_others()
    {
        var full = Client(2, "dev", inboxLimit: 10);
        var reading = Client(3, "dev");
        var fanout = Start();

        fanout.Tell(new PublishFanout(Batch(1, ("dev", "longer than ten bytes"))));

        full.Probe.ExpectMsg<InboxOverflowed>();
        Assert.False(full.Inbox.IsOpen);
        Assert.Equal("ROOM:dev:1:longer than ten bytes\n", Encoding.UTF8.GetString(reading.Probe.ExpectMsg<FanoutLines>().Lines));
    }

    [Fact]
    public void Confirms_a_barrier_at_once_when_no_other_node_is_up()
    {
        var fanout = Start();

        fanout.Tell(new FanoutBarrier(7), TestActor);

        Assert.Equal(new BlockBarrier(FanoutActor.BarrierBlock, 7), ExpectMsg<BlockBarrier>());
    }

    private IActorRef Start() =>
        Sys.ActorOf(FanoutActor.Props(_clients, _presence, Akka.Cluster.Cluster.Get(Sys).SelfAddress, TimeSpan.FromSeconds(3)));

    private (TestProbe Probe, ClientInbox Inbox) Client(long id, string? room = null, long inboxLimit = 1 << 20)
    {
        var probe = CreateTestProbe();
        var inbox = new ClientInbox(probe.Ref, inboxLimit);
        _clients.Add(id, inbox);
        _presence.Online(id);
        if (room is not null)
            _presence.Join(id, room, inbox);
        return (probe, inbox);
    }

    private static List<string> Received(TestProbe probe, int count) =>
        Enumerable.Range(0, count).Select(_ => Encoding.UTF8.GetString(probe.ExpectMsg<FanoutLines>().Lines)).ToList();

    private static FanoutBatch Batch(long sender, params (string Room, string Text)[] messages)
    {
        var entries = new ArrayBufferWriter<byte>();
        foreach (var (room, text) in messages)
            FanoutEntries.Write(entries, Encoding.ASCII.GetBytes(room), Encoding.UTF8.GetBytes(text));
        return new FanoutBatch(sender, entries.WrittenSpan.ToArray());
    }
}
