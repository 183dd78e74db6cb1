using Relay.Protocol;

namespace Relay.Client.Tests;

/// <summary>
/// <see cref="RelayClient"/> in every mode — text or JSON, over TCP or UDP — against a real node, each
/// talking to a plain text TCP client: same methods, same events, whatever the wire.
/// </summary>
public sealed class RelayClientModeTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    public static TheoryData<RelayProtocol, RelayTransport> Modes => new()
    {
        { RelayProtocol.Text, RelayTransport.Tcp },
        { RelayProtocol.Json, RelayTransport.Tcp },
        { RelayProtocol.Text, RelayTransport.Udp },
        { RelayProtocol.Json, RelayTransport.Udp },
    };

    // Everything JSON must escape, and what it must not touch: quotes, backslashes, a tab, a control
    // character, non-ASCII, and the text protocol's colons.
    private const string Awkward = "say \"hi\" \\ back\tslash \u0001 안녕 🎉: a:b";

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Exchanges_messages_both_ways_with_a_text_client(RelayProtocol protocol, RelayTransport transport)
    {
        await using var client = await fixture.ConnectAsync(protocol, transport);
        await using var text = await fixture.ConnectAsync();
        Assert.NotEqual(client.Id, text.Id);

        await client.SendAsync(text.Id, Awkward);
        Assert.Equal(new MessageReceived(client.Id, Awkward), await text.NextEventAsync());
        await text.SendAsync(client.Id, Awkward);
        Assert.Equal(new MessageReceived(text.Id, Awkward), await client.NextEventAsync());
        await client.SendAsync(text.Id, "");
        Assert.Equal(new MessageReceived(client.Id, ""), await text.NextEventAsync());
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Reports_errors_and_receipts_as_typed_events_and_pong_after_them(RelayProtocol protocol, RelayTransport transport)
    {
        await using var client = await fixture.ConnectAsync(protocol, transport);
        await using var text = await fixture.ConnectAsync();

        await client.SendAsync(987_654_321, "nobody");
        var error = await client.NextAsync<ErrorReceived>();
        Assert.Equal((ErrorCode.UnknownTarget, "UNKNOWN_TARGET", "no client 987654321"), (error.Known, error.Code, error.Text));

        await client.RoomAsync("not-joined", "hi");
        Assert.Equal(ErrorCode.NotMember, (await client.NextAsync<ErrorReceived>()).Known);

        await client.SendWithReceiptAsync("r1", text.Id, "with a receipt");
        Assert.Equal(new MessageReceived(client.Id, "with a receipt"), await text.NextEventAsync());
        Assert.Equal(new DeliveryConfirmed("r1"), await client.NextEventAsync());
        await client.SendWithReceiptAsync("r2", 987_654_321, "nobody");
        var failed = await client.NextAsync<DeliveryFailed>();
        Assert.Equal(("r2", ReceiptFailure.UnknownTarget), (failed.Reference, failed.Known));

        await client.PingAsync();
        Assert.Same(PongReceived.Instance, await client.NextEventAsync());
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Rooms_broadcasts_lists_and_presence_work_as_over_text(RelayProtocol protocol, RelayTransport transport)
    {
        var room = "mode-" + Guid.NewGuid().ToString("N")[..12];
        await using var client = await fixture.ConnectAsync(protocol, transport);
        await using var text = await fixture.ConnectAsync();

        await client.JoinAsync(room);
        Assert.Equal(new CommandConfirmed("JOIN", room), await client.NextEventAsync());
        await text.JoinAsync(room);
        Assert.Equal(new CommandConfirmed("JOIN", room), await text.NextEventAsync());
        await client.RoomAsync(room, Awkward);
        Assert.Equal(new RoomMessageReceived(room, client.Id, Awkward), await text.NextEventAsync());
        await text.RoomAsync(room, "back to you");
        Assert.Equal(new RoomMessageReceived(room, text.Id, "back to you"), await client.NextEventAsync());

        await client.MembersAsync(room);
        var members = await client.NextAsync<RoomMembers>();
        Assert.Equal((room, 2L, false), (members.Room, members.Total, members.More));
        Assert.Equal([Math.Min(client.Id, text.Id), Math.Max(client.Id, text.Id)], members.Ids);
        await client.RoomsAsync();
        Assert.Contains((room, 2L), (await client.NextAsync<RoomList>()).Rooms);
        var first = Math.Min(client.Id, text.Id);
        await client.WhoAsync(after: first > 1 ? first - 1 : null);
        var online = await client.NextAsync<OnlineList>();
        Assert.Contains(client.Id, online.Ids);
        Assert.Contains(text.Id, online.Ids);

        await client.BroadcastAsync("to all");
        await text.FirstAsync<BroadcastReceived>(b => b == new BroadcastReceived(client.Id, "to all"), "the broadcast");

        await client.WatchAsync(on: true);
        Assert.Equal(new CommandConfirmed("WATCH", "ON"), await client.FirstAsync<CommandConfirmed>(_ => true, "the watch confirmation"));
        await using (var visitor = await fixture.ConnectAsync())
        {
            await client.FirstAsync<ClientJoined>(j => j.Id == visitor.Id, "the visitor's arrival");
            await visitor.QuitAsync();
        }

        await client.FirstAsync<ClientLeft>(l => l.Id != client.Id, "the visitor's departure");
        await client.WatchAsync(on: false);
        await client.LeaveAsync(room);
        Assert.Equal(new CommandConfirmed("LEAVE", room), await client.FirstAsync<CommandConfirmed>(c => c.Command == "LEAVE", "the leave confirmation"));
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Quit_ends_the_event_stream_and_the_node_forgets_the_client(RelayProtocol protocol, RelayTransport transport)
    {
        await using var client = await fixture.ConnectAsync(protocol, transport);
        await using var text = await fixture.ConnectAsync();

        await client.QuitAsync();

        await foreach (var relayEvent in client.ReadAllAsync().WithCancellation(new CancellationTokenSource(EventWaits.Wait).Token))
            Assert.Fail($"no event expected after QUIT, got {relayEvent}");
        await client.Completion.WaitAsync(EventWaits.Wait);
        await text.GoneAsync(client.Id);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Replies_to_what_was_sent_just_before_QUIT_still_become_events(RelayProtocol protocol, RelayTransport transport)
    {
        await using var client = await fixture.ConnectAsync(protocol, transport);

        await client.JoinAsync("last-words");
        await client.QuitAsync();

        var events = new List<RelayEvent>();
        await foreach (var relayEvent in client.ReadAllAsync().WithCancellation(new CancellationTokenSource(EventWaits.Wait).Token))
            events.Add(relayEvent);
        Assert.Equal([new CommandConfirmed("JOIN", "last-words")], events);
    }

    [Theory]
    [InlineData(RelayProtocol.Text)]
    [InlineData(RelayProtocol.Json)]
    public async Task Disposing_a_udp_client_ends_its_session_at_once(RelayProtocol protocol)
    {
        var client = await fixture.ConnectAsync(protocol, RelayTransport.Udp);
        await using var text = await fixture.ConnectAsync();

        await client.DisposeAsync();

        // Not after the node's idle timeout (60 s): the QUIT that disposing sends ends it now.
        await text.GoneAsync(client.Id);
    }
}
