using Relay.Protocol;

namespace Relay.Client.Tests;

public sealed class EventTextTests
{
    // One of every event, with how the console shows it.
    private static readonly (RelayEvent Event, string Text)[] Samples =
    [
        (new MessageReceived(3, "hi: there"), "from 3: hi: there"),
        (new BroadcastReceived(3, "hi all"), "from 3 to all: hi all"),
        (new RoomMessageReceived("lobby", 3, "hi room"), "from 3 in lobby: hi room"),
        (new CommandConfirmed("JOIN", "lobby"), "joined lobby"),
        (new ClientJoined(9), "client 9 connected"),
        (new ClientLeft(9), "client 9 left"),
        (new DeliveryConfirmed("c1"), "delivered c1"),
        (new DeliveryFailed("c2", "UNKNOWN_TARGET", "no client 7"), "not delivered c2: UNKNOWN_TARGET (no client 7)"),
        (new OnlineList(3, [1, 2, 5], false), "3 online: 1, 2, 5"),
        (new RoomMembers("dev", 2, [7, 101], false), "2 in dev: 7, 101"),
        (new RoomList([("dev", 3), ("lobby", 2)], false), "rooms: dev (3), lobby (2)"),
        (new ErrorReceived("NOT_MEMBER", ErrorCode.NotMember, "not in room dev; JOIN:dev first"), "error NOT_MEMBER: not in room dev; JOIN:dev first"),
        (PongReceived.Instance, "pong"),
        (new ReconnectRequested("node leaving"), "server: node leaving"),
        (new UnknownLine("HELLO"), "server: HELLO"),
        (new SessionLost("send HELLO first"), "session lost: the node no longer knows this client (send HELLO first)"),
    ];

    public static TheoryData<RelayEvent, string> Shown
    {
        get
        {
            var data = new TheoryData<RelayEvent, string>();
            foreach (var (relayEvent, text) in Samples)
                data.Add(relayEvent, text);
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Shown))]
    public void Shows_each_event_as_one_readable_line(RelayEvent relayEvent, string text) =>
        Assert.Equal(text, EventText.Of(relayEvent));

    [Fact]
    public void Has_a_sample_of_every_event_type_so_none_falls_back_to_its_record_dump()
    {
        var eventTypes = typeof(RelayEvent).Assembly.GetTypes()
            .Where(type => type.IsSubclassOf(typeof(RelayEvent)) && !type.IsAbstract)
            .Select(type => type.Name)
            .Order(StringComparer.Ordinal);

        Assert.Equal(eventTypes, Samples.Select(sample => sample.Event.GetType().Name).Order(StringComparer.Ordinal));
        foreach (var (relayEvent, _) in Samples)
            Assert.DoesNotContain("{", EventText.Of(relayEvent), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("LEAVE", "lobby", "left lobby")]
    [InlineData("WATCH", "ON", "watching: you will see clients connect and leave")]
    [InlineData("WATCH", "OFF", "stopped watching")]
    [InlineData("NEWTHING", "x", "ok NEWTHING x")]
    public void Says_what_each_confirmation_means(string command, string argument, string text) =>
        Assert.Equal(text, EventText.Of(new CommandConfirmed(command, argument)));

    [Fact]
    public void Says_how_to_ask_for_the_next_page_of_a_list()
    {
        Assert.Equal("1203 online: 1, 2, 3 (more: /who 3)", EventText.Of(new OnlineList(1203, [1, 2, 3], true)));
        Assert.Equal("5 in dev: 7, 101 (more: /members dev 101)", EventText.Of(new RoomMembers("dev", 5, [7, 101], true)));
        Assert.Equal("rooms: a (1), b (2) (more: /rooms b)", EventText.Of(new RoomList([("a", 1), ("b", 2)], true)));
    }

    [Fact]
    public void Says_so_when_a_list_is_empty()
    {
        Assert.Equal("nobody in dev", EventText.Of(new RoomMembers("dev", 0, [], false)));
        Assert.Equal("no rooms", EventText.Of(new RoomList([], false)));
        Assert.Equal("nobody online", EventText.Of(new OnlineList(0, [], false)));
    }
}
