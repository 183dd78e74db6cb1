using System.Net;
using System.Net.Sockets;
using Relay.Protocol;

namespace Relay.Client.Tests;

/// <summary>Broadcasts, rooms, presence and receipts through <see cref="RelayClient"/>, against a real node over TCP.</summary>
public sealed partial class RelayClientTests
{
    [Fact]
    public async Task Broadcast_reaches_every_other_client_but_not_the_sender()
    {
        await using var a = await ConnectAsync();
        await using var b = await ConnectAsync();
        await using var c = await ConnectAsync();

        await a.BroadcastAsync("to everyone: 안녕");
        await a.PingAsync();

        Assert.Equal(new BroadcastReceived(a.Id, "to everyone: 안녕"), await b.NextEventAsync());
        Assert.Equal(new BroadcastReceived(a.Id, "to everyone: 안녕"), await c.NextEventAsync());
        Assert.Same(PongReceived.Instance, await a.NextEventAsync());
    }

    [Fact]
    public async Task Room_messages_reach_members_only_and_lists_follow_joins_and_leaves()
    {
        var room = UniqueRoom();
        await using var a = await ConnectAsync();
        await using var b = await ConnectAsync();
        await using var outsider = await ConnectAsync();

        await a.JoinAsync(room);
        Assert.Equal(new CommandConfirmed("JOIN", room), await a.NextEventAsync());
        await b.JoinAsync(room);
        Assert.Equal(new CommandConfirmed("JOIN", room), await b.NextEventAsync());

        await a.RoomAsync(room, "hello room: all of you");
        Assert.Equal(new RoomMessageReceived(room, a.Id, "hello room: all of you"), await b.NextEventAsync());

        await a.MembersAsync(room);
        var members = await a.NextAsync<RoomMembers>();
        Assert.Equal((room, 2L, false), (members.Room, members.Total, members.More));
        Assert.Equal([Math.Min(a.Id, b.Id), Math.Max(a.Id, b.Id)], members.Ids);

        await a.RoomsAsync();
        var rooms = await a.NextAsync<RoomList>();
        Assert.Contains((room, 2L), rooms.Rooms);
        Assert.Equal(rooms.Rooms.OrderBy(r => r.Name, StringComparer.Ordinal), rooms.Rooms);

        // The sender hears nothing of its own message; the outsider hears nothing at all.
        await a.PingAsync();
        Assert.Same(PongReceived.Instance, await a.NextEventAsync());
        await outsider.PingAsync();
        Assert.Same(PongReceived.Instance, await outsider.NextEventAsync());

        await b.LeaveAsync(room);
        Assert.Equal(new CommandConfirmed("LEAVE", room), await b.NextEventAsync());
        await b.RoomAsync(room, "still here?");
        Assert.Equal(ErrorCode.NotMember, (await b.NextAsync<ErrorReceived>()).Known);
        await b.LeaveAsync(room);
        Assert.Equal(ErrorCode.NotMember, (await b.NextAsync<ErrorReceived>()).Known);

        await a.MembersAsync(room);
        members = await a.NextAsync<RoomMembers>();
        Assert.Equal([a.Id], members.Ids);
        Assert.Equal(1, members.Total);

        await a.LeaveAsync(room);
        Assert.Equal(new CommandConfirmed("LEAVE", room), await a.NextEventAsync());
        await a.MembersAsync(room);
        members = await a.NextAsync<RoomMembers>();
        Assert.Equal((room, 0L, false), (members.Room, members.Total, members.More));
        Assert.Empty(members.Ids);
        await a.RoomsAsync();
        Assert.DoesNotContain((await a.NextAsync<RoomList>()).Rooms, r => r.Name == room);
    }

    [Fact]
    public async Task Room_names_are_case_sensitive()
    {
        var room = UniqueRoom();
        await using var a = await ConnectAsync();
        await using var b = await ConnectAsync();
        await a.JoinAsync(room);
        await a.NextAsync<CommandConfirmed>();
        await b.JoinAsync(room.ToUpperInvariant());
        await b.NextAsync<CommandConfirmed>();

        await b.RoomAsync(room.ToUpperInvariant(), "wrong room");
        await a.MembersAsync(room);

        Assert.Equal([a.Id], (await a.NextAsync<RoomMembers>()).Ids);
    }

    [Fact]
    public async Task Who_lists_the_connected_clients_in_ascending_order()
    {
        await using var a = await ConnectAsync();
        await using var b = await ConnectAsync();

        await a.WhoAsync();

        var online = await a.NextAsync<OnlineList>();
        Assert.False(online.More);
        Assert.Contains(a.Id, online.Ids);
        Assert.Contains(b.Id, online.Ids);
        Assert.Equal(online.Total, online.Ids.Count);
        Assert.Equal(online.Ids.Order(), online.Ids);
    }

    [Fact]
    public async Task Watchers_see_a_client_connect_and_leave_until_they_stop_watching()
    {
        await using var watcher = await ConnectAsync();
        await using var stillWatching = await ConnectAsync();
        await watcher.WatchAsync(on: true);
        Assert.Equal(new CommandConfirmed("WATCH", "ON"), await watcher.NextEventAsync());
        await stillWatching.WatchAsync(on: true);
        Assert.Equal(new CommandConfirmed("WATCH", "ON"), await stillWatching.NextEventAsync());

        var third = await ConnectAsync();
        await watcher.FirstAsync<ClientJoined>(joined => joined.Id == third.Id, $"JOINED:{third.Id}");
        await third.QuitAsync();
        await third.Completion.WaitAsync(EventWaits.Wait);
        await third.DisposeAsync();
        await watcher.FirstAsync<ClientLeft>(left => left.Id == third.Id, $"LEFT:{third.Id}");

        await watcher.WatchAsync(on: false);
        await watcher.FirstAsync<CommandConfirmed>(ok => ok == new CommandConfirmed("WATCH", "OFF"), "OK:WATCH:OFF");
        await using var fourth = await ConnectAsync();
        await stillWatching.FirstAsync<ClientJoined>(joined => joined.Id == fourth.Id, $"JOINED:{fourth.Id} to the other watcher");
        await watcher.PingAsync();
        Assert.Same(PongReceived.Instance, await watcher.NextEventAsync());
    }

    [Fact]
    public async Task A_message_with_a_receipt_arrives_and_its_sender_is_told_it_was_delivered()
    {
        await using var a = await ConnectAsync();
        await using var b = await ConnectAsync();

        await a.SendWithReceiptAsync("r-1", b.Id, "with a receipt: 안녕");

        Assert.Equal(new MessageReceived(a.Id, "with a receipt: 안녕"), await b.NextEventAsync());
        Assert.Equal(new DeliveryConfirmed("r-1"), await a.NextEventAsync());
    }

    [Fact]
    public async Task A_message_with_a_receipt_to_an_unknown_id_is_reported_not_delivered_with_its_reference()
    {
        await using var a = await ConnectAsync();
        const long nobody = 987_654_321;

        await a.SendWithReceiptAsync("r.2", nobody, "anyone?");

        var failed = await a.NextAsync<DeliveryFailed>();
        Assert.Equal(new DeliveryFailed("r.2", "UNKNOWN_TARGET", $"no client {nobody}"), failed);
        Assert.Equal(ReceiptFailure.UnknownTarget, failed.Known);
    }

    [Fact]
    public async Task Refuses_bad_names_and_line_breaks_before_sending_anything()
    {
        await using var a = await ConnectAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => a.JoinAsync("bad name").AsTask());
        await Assert.ThrowsAsync<ArgumentException>(() => a.LeaveAsync("").AsTask());
        await Assert.ThrowsAsync<ArgumentException>(() => a.RoomAsync("a:b", "x").AsTask());
        await Assert.ThrowsAsync<ArgumentException>(() => a.RoomAsync("lobby", "two\nlines").AsTask());
        await Assert.ThrowsAsync<ArgumentException>(() => a.MembersAsync(new string('x', 65)).AsTask());
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => a.MembersAsync("lobby", after: 0).AsTask());
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => a.WhoAsync(after: -1).AsTask());
        await Assert.ThrowsAsync<ArgumentException>(() => a.RoomsAsync(after: "é").AsTask());
        await Assert.ThrowsAsync<ArgumentException>(() => a.BroadcastAsync("a\rb").AsTask());
        await Assert.ThrowsAsync<ArgumentException>(() => a.SendWithReceiptAsync("no:colons", a.Id, "x").AsTask());

        await a.PingAsync();
        Assert.Same(PongReceived.Instance, await a.NextEventAsync());
    }

    [Fact]
    public async Task Parses_every_new_server_line_into_its_typed_event()
    {
        using var server = new TcpListener(IPAddress.Loopback, 0);
        server.Start();
        var serving = Task.Run(async () =>
        {
            using var peer = await server.AcceptSocketAsync();
            await peer.SendAsync(System.Text.Encoding.UTF8.GetBytes(string.Join('\n',
            [
                "YOUR_ID:1",
                "ALL:3:hi: all",
                "ROOM:dev:3:hi: dev",
                "OK:JOIN:dev",
                "JOINED:5",
                "LEFT:5",
                "DELIVERED:a3",
                "ERROR:NOT_DELIVERED:a1:TIMEOUT:no receipt from the node of client 7 in time; the message may or may not have arrived",
                "ERROR:NOT_DELIVERED:a2:SOMETHING_NEW:a text: with a colon",
                "ERROR:NOT_MEMBER:not in room dev; JOIN:dev first",
                "WHO:1203:1,2,3:MORE",
                "MEMBERS:dev:2:7,101",
                "MEMBERS:empty:0:",
                "ROOMS:dev=3,lobby=2:MORE",
                "ROOMS:",
                "WHO:2:1,x",
                "",
            ])));
            peer.Shutdown(SocketShutdown.Both);
        });
        await using var client = await RelayClient.ConnectAsync("127.0.0.1", ((IPEndPoint)server.LocalEndpoint).Port);

        var events = new List<RelayEvent>();
        await foreach (var relayEvent in client.ReadAllAsync().WithCancellation(new CancellationTokenSource(EventWaits.Wait).Token))
            events.Add(relayEvent);
        await serving;

        Assert.Collection(
            events,
            e => Assert.Equal(new BroadcastReceived(3, "hi: all"), e),
            e => Assert.Equal(new RoomMessageReceived("dev", 3, "hi: dev"), e),
            e => Assert.Equal(new CommandConfirmed("JOIN", "dev"), e),
            e => Assert.Equal(new ClientJoined(5), e),
            e => Assert.Equal(new ClientLeft(5), e),
            e => Assert.Equal(new DeliveryConfirmed("a3"), e),
            e =>
            {
                var failed = Assert.IsType<DeliveryFailed>(e);
                Assert.Equal(("a1", "TIMEOUT", "no receipt from the node of client 7 in time; the message may or may not have arrived"), (failed.Reference, failed.Cause, failed.Text));
                Assert.Equal(ReceiptFailure.Timeout, failed.Known);
            },
            e =>
            {
                var failed = Assert.IsType<DeliveryFailed>(e);
                Assert.Equal(new DeliveryFailed("a2", "SOMETHING_NEW", "a text: with a colon"), failed);
                Assert.Null(failed.Known);
            },
            e => Assert.Equal(new ErrorReceived("NOT_MEMBER", ErrorCode.NotMember, "not in room dev; JOIN:dev first"), e),
            e =>
            {
                var online = Assert.IsType<OnlineList>(e);
                Assert.Equal((1203L, true), (online.Total, online.More));
                Assert.Equal([1L, 2, 3], online.Ids);
            },
            e =>
            {
                var members = Assert.IsType<RoomMembers>(e);
                Assert.Equal(("dev", 2L, false), (members.Room, members.Total, members.More));
                Assert.Equal([7L, 101], members.Ids);
            },
            e =>
            {
                var members = Assert.IsType<RoomMembers>(e);
                Assert.Equal(("empty", 0L, false), (members.Room, members.Total, members.More));
                Assert.Empty(members.Ids);
            },
            e =>
            {
                var rooms = Assert.IsType<RoomList>(e);
                Assert.True(rooms.More);
                Assert.Equal([("dev", 3L), ("lobby", 2L)], rooms.Rooms);
            },
            e =>
            {
                var rooms = Assert.IsType<RoomList>(e);
                Assert.False(rooms.More);
                Assert.Empty(rooms.Rooms);
            },
            e => Assert.Equal(new UnknownLine("WHO:2:1,x"), e));
    }

    private static string UniqueRoom() => "room-" + Guid.NewGuid().ToString("N")[..12];
}
