using System.Net.Sockets;
using System.Text;
using Relay.Testing;

namespace Relay.Actors.Tests.TcpTransport;

/// <summary>One real node, real sockets: what a client sees on the wire.</summary>
public sealed class RelayOverTcpTests : IAsyncLifetime
{
    private RelayNode _node = null!;

    public async Task InitializeAsync() => _node = await TestNode.StartAsync();

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task Relays_the_seeds_example_from_A_to_B_and_back()
    {
        var (a, aId) = await LineSocket.ConnectClientAsync(_node.ClientEndpoint);
        var (b, bId) = await LineSocket.ConnectClientAsync(_node.ClientEndpoint);
        await using var _ = a;
        await using var __ = b;
        Assert.Equal((1, 2), (aId, bId));

        await a.SendAsync("TO:2:안녕 B야\n");
        Assert.Equal("FROM:1:안녕 B야", await b.ReadLineAsync());

        await b.SendAsync("TO:1:반가워 A\r\n");
        Assert.Equal("FROM:2:반가워 A", await a.ReadLineAsync());
    }

    [Fact]
    public async Task Relays_empty_messages_and_messages_with_colons_byte_for_byte()
    {
        var (a, _) = await LineSocket.ConnectClientAsync(_node.ClientEndpoint);
        var (b, bId) = await LineSocket.ConnectClientAsync(_node.ClientEndpoint);
        await using var _a = a;
        await using var _b = b;

        await a.SendAsync($"TO:{bId}:\nTO:{bId}:a:b::c: \n");

        Assert.Equal("FROM:1:", await b.ReadLineAsync());
        Assert.Equal("FROM:1:a:b::c: ", await b.ReadLineAsync());
    }

    [Fact]
    public async Task Delivers_a_message_to_itself_sent_just_before_QUIT_before_closing()
    {
        var (a, aId) = await LineSocket.ConnectClientAsync(_node.ClientEndpoint);
        await using var _a = a;

        await a.SendAsync($"TO:{aId}:note to self\nQUIT\n");

        Assert.Equal($"FROM:{aId}:note to self", await a.ReadLineAsync());
        Assert.Null(await a.TryReadLineAsync());
    }

    [Fact]
    public async Task A_message_racing_its_targets_QUIT_is_either_delivered_or_refused_never_lost()
    {
        var (sender, _) = await LineSocket.ConnectClientAsync(_node.ClientEndpoint);
        await using var _s = sender;
        // Lines after the message keep the sender's session busy between reserving room for it
        // and sending it (at the end of the read): the window in which the target's QUIT used to
        // close the connection with the message on its way.
        var filler = string.Concat(Enumerable.Repeat("JOIN:filler\nLEAVE:filler\n", 150));
        for (var trial = 0; trial < 100; trial++)
        {
            var (target, targetId) = await LineSocket.ConnectClientAsync(_node.ClientEndpoint);
            await using var _t = target;

            await Task.WhenAll(sender.SendAsync($"TO:{targetId}:racing {trial}\n{filler}PING\n"), target.SendAsync("QUIT\n"));

            var refused = false;
            for (var line = await sender.ReadLineAsync(); line != "PONG"; line = await sender.ReadLineAsync())
                refused |= line == $"ERROR:UNKNOWN_TARGET:no client {targetId}";
            var delivered = false;
            for (var line = await target.TryReadLineAsync(); line is not null; line = await target.TryReadLineAsync())
                delivered |= line.EndsWith($":racing {trial}", StringComparison.Ordinal);
            Assert.True(delivered ^ refused, $"trial {trial}: delivered {delivered}, refused {refused}");
        }
    }

    [Fact]
    public async Task Answers_every_list_request_of_a_read_without_disconnecting_a_reading_client()
    {
        var clients = new List<LineSocket>();
        for (var i = 0; i < 200; i++)
            clients.Add((await LineSocket.ConnectClientAsync(_node.ClientEndpoint)).Socket);
        try
        {
            var asker = clients[0];
            // One read of WHO lines (8 KiB), each answered with ~800 bytes: 1.6 MB in all, more than
            // max-outbound-bytes. The node must answer them a part at a time, as the client reads.
            await asker.SendAsync(string.Concat(Enumerable.Repeat("WHO\n", 2000)) + "PING\n");

            for (var i = 0; i < 2000; i++)
                Assert.StartsWith("WHO:", await asker.ReadLineAsync(), StringComparison.Ordinal);
            Assert.Equal("PONG", await asker.ReadLineAsync());
        }
        finally
        {
            foreach (var client in clients)
                await client.DisposeAsync();
        }
    }

    [Fact]
    public async Task Answers_each_bad_line_with_a_clear_error_and_keeps_the_connection()
    {
        var (a, _) = await LineSocket.ConnectClientAsync(_node.ClientEndpoint);
        await using var _a = a;

        await a.SendAsync("TO:7:nobody there\nbogus\nTO:x:y\n");
        await a.SendAsync(new byte[] { (byte)'T', (byte)'O', (byte)':', (byte)'1', (byte)':', 0xFF, 0xFE, (byte)'\n' });
        await a.SendAsync("PING\n");

        // Parse errors are answered at once, UNKNOWN_TARGET once routing has answered: the order
        // between them is not promised, but PONG comes after all of them.
        var replies = new List<string>();
        for (var line = await a.ReadLineAsync(); line != "PONG"; line = await a.ReadLineAsync())
            replies.Add(line);
        Assert.Equal(
            [
                "ERROR:BAD_ENCODING:message is not valid UTF-8",
                "ERROR:BAD_FORMAT:expected TO:<id>:<message> with a positive numeric id",
                "ERROR:UNKNOWN_COMMAND:expected TO, TOACK, ALL, JOIN, LEAVE, ROOM, ROOMS, MEMBERS, WHO, WATCH, PING or QUIT (see docs/protocol.md)",
                "ERROR:UNKNOWN_TARGET:no client 7",
            ],
            replies.Order());
    }

    [Fact]
    public async Task Answers_pong_only_after_the_errors_for_earlier_lines()
    {
        var (a, _) = await LineSocket.ConnectClientAsync(_node.ClientEndpoint);
        await using var _a = a;

        await a.SendAsync(string.Concat(Enumerable.Range(100, 50).Select(id => $"TO:{id}:x\n")) + "PING\n");

        // Ids 100 (its block is leased: the registry answers) and 101-149 (nobody leased that
        // block: the node answers) reply by different paths, so their order is not promised.
        var replies = new List<string>();
        for (var line = await a.ReadLineAsync(); line != "PONG"; line = await a.ReadLineAsync())
            replies.Add(line);
        Assert.Equal(Enumerable.Range(100, 50).Select(id => $"ERROR:UNKNOWN_TARGET:no client {id}").Order(), replies.Order());
    }

    [Fact]
    public async Task Answers_every_line_once_while_lines_wait_for_unknown_blocks()
    {
        var (a, aId) = await LineSocket.ConnectClientAsync(_node.ClientEndpoint);
        await using var _a = a;

        // 150 and 99999 are in blocks nobody leased: the node asks a majority before answering,
        // holding what follows in order, PINGs included.
        await a.SendAsync($"TO:{aId}:self\nTO:2:x\nTO:150:y\nPING\nTO:99999:z\nPING\n");

        var lines = new List<string>();
        while (lines.Count(line => line == "PONG") < 2)
            lines.Add(await a.ReadLineAsync());

        // Each PONG comes after the replies to every line before its PING; replies to later lines
        // may overtake it.
        var firstPong = lines.IndexOf("PONG");
        Assert.All(
            [$"FROM:{aId}:self", "ERROR:UNKNOWN_TARGET:no client 2", "ERROR:UNKNOWN_TARGET:no client 150"],
            expected => Assert.InRange(lines.IndexOf(expected), 0, firstPong - 1));
        Assert.InRange(lines.IndexOf("ERROR:UNKNOWN_TARGET:no client 99999"), 0, lines.Count - 2);
        Assert.Equal(6, lines.Count);
    }

    [Fact]
    public async Task Serves_a_client_that_talks_exactly_like_the_seeds_client()
    {
        // The seed's client reads its id with one recv(1024), then sends "TO:<id>:<message>"
        // with no newline and waits; it prints whatever one recv(1024) returns.
        using var a = new Socket(SocketType.Stream, ProtocolType.Tcp);
        using var b = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await a.ConnectAsync(_node.ClientEndpoint);
        Assert.Equal("YOUR_ID:1\n", await ReceiveOnceAsync(a));
        await b.ConnectAsync(_node.ClientEndpoint);
        Assert.Equal("YOUR_ID:2\n", await ReceiveOnceAsync(b));

        await a.SendAsync(Encoding.UTF8.GetBytes("TO:2:안녕 B야"));
        Assert.Equal("FROM:1:안녕 B야\n", await ReceiveOnceAsync(b));

        await b.SendAsync(Encoding.UTF8.GetBytes("TO:1:hello A"));
        Assert.Equal("FROM:2:hello A\n", await ReceiveOnceAsync(a));

        await a.SendAsync(Encoding.UTF8.GetBytes("TO:9:anyone?"));
        Assert.Equal("ERROR:UNKNOWN_TARGET:no client 9\n", await ReceiveOnceAsync(a));
    }

    [Fact]
    public async Task Frames_a_client_that_writes_one_byte_at_a_time()
    {
        // A generous partial-line timeout, so that the test proves framing, not scheduling luck.
        await using var node = await TestNode.StartAsync("relay.connection.partial-line-timeout = 2s");
        var (a, _) = await LineSocket.ConnectClientAsync(node.ClientEndpoint);
        var (b, bId) = await LineSocket.ConnectClientAsync(node.ClientEndpoint);
        await using var _a = a;
        await using var _b = b;

        foreach (var single in Encoding.UTF8.GetBytes($"TO:{bId}:slow 안녕\r\nTO:{bId}:second\n"))
        {
            await a.SendAsync(new[] { single });
            await Task.Delay(2);
        }

        Assert.Equal("FROM:1:slow 안녕", await b.ReadLineAsync());
        Assert.Equal("FROM:1:second", await b.ReadLineAsync());
    }

    [Fact]
    public async Task Relays_2000_messages_between_a_pair_complete_and_in_order()
    {
        var (a, aId) = await LineSocket.ConnectClientAsync(_node.ClientEndpoint);
        var (b, bId) = await LineSocket.ConnectClientAsync(_node.ClientEndpoint);
        await using var _a = a;
        await using var _b = b;

        await Conversation.RelaysInOrderAsync(a, aId, b, bId, 2000);
    }

    [Fact]
    public async Task Refuses_a_2_MiB_line_and_keeps_the_connection_working()
    {
        var (a, _) = await LineSocket.ConnectClientAsync(_node.ClientEndpoint);
        var (b, bId) = await LineSocket.ConnectClientAsync(_node.ClientEndpoint);
        await using var _a = a;
        await using var _b = b;

        var huge = new byte[2 * 1024 * 1024];
        huge.AsSpan().Fill((byte)'x');
        await a.SendAsync(Encoding.ASCII.GetBytes($"TO:{bId}:"));
        await a.SendAsync(huge);
        await a.SendAsync($"\nTO:{bId}:after the long one\n");

        Assert.Equal("ERROR:TOO_LONG:line longer than 65536 bytes discarded", await a.ReadLineAsync());
        Assert.Equal("FROM:1:after the long one", await b.ReadLineAsync());
    }

    [Fact]
    public async Task Accepts_a_message_of_exactly_the_maximum_line_length()
    {
        var (a, _) = await LineSocket.ConnectClientAsync(_node.ClientEndpoint);
        var (b, bId) = await LineSocket.ConnectClientAsync(_node.ClientEndpoint);
        await using var _a = a;
        await using var _b = b;
        var prefix = $"TO:{bId}:";
        var message = new string('m', _node.Settings.Connection.MaxLineBytes - prefix.Length);

        await a.SendAsync(prefix + message + "\n");

        Assert.Equal("FROM:1:" + message, await b.ReadLineAsync());
    }

    [Fact]
    public async Task Disconnects_a_client_that_stops_reading_while_others_keep_relaying()
    {
        await using var node = await TestNode.StartAsync("relay.connection.max-outbound-bytes = 64 KiB");
        var (sender, senderId) = await LineSocket.ConnectClientAsync(node.ClientEndpoint);
        var (stalled, stalledId) = await LineSocket.ConnectClientAsync(node.ClientEndpoint);
        var (healthy, healthyId) = await LineSocket.ConnectClientAsync(node.ClientEndpoint);
        await using var _sender = sender;
        await using var _stalled = stalled;
        await using var _healthy = healthy;
        var batch = string.Concat(Enumerable.Repeat($"TO:{stalledId}:{new string('s', 1000)}\n", 100)) + "PING\n";

        // The kernel buffers some MiB on loopback before the node's own queue fills; the loop is
        // bounded at 64 MiB, far more than that.
        var disconnected = false;
        for (var round = 0; round < 640 && !disconnected; round++)
        {
            await sender.SendAsync(batch);
            for (var line = await sender.ReadLineAsync(); line != "PONG"; line = await sender.ReadLineAsync())
                disconnected |= line == $"ERROR:UNKNOWN_TARGET:no client {stalledId}";
        }

        Assert.True(disconnected, "the stalled client was never disconnected");
        Assert.True(await stalled.WaitForCloseAsync(), "the stalled client's socket is still open");
        await sender.SendAsync($"TO:{healthyId}:business as usual\n");
        Assert.Equal($"FROM:{senderId}:business as usual", await healthy.ReadLineAsync());
    }

    [Fact]
    public async Task Sends_the_replies_before_closing_when_the_client_half_closes()
    {
        var (a, _) = await LineSocket.ConnectClientAsync(_node.ClientEndpoint);
        var (b, bId) = await LineSocket.ConnectClientAsync(_node.ClientEndpoint);
        await using var _a = a;
        await using var _b = b;

        // As `printf 'TO:2:x\nTO:77:y' | nc -q1 host port` does: last line unterminated, then FIN.
        await a.SendAsync($"TO:{bId}:first\nTO:77:y\nTO:{bId}:last, no newline");
        a.Socket.Shutdown(SocketShutdown.Send);

        Assert.Equal("ERROR:UNKNOWN_TARGET:no client 77", await a.ReadLineAsync());
        Assert.Null(await a.TryReadLineAsync());
        Assert.Equal("FROM:1:first", await b.ReadLineAsync());
        Assert.Equal("FROM:1:last, no newline", await b.ReadLineAsync());
    }

    [Fact]
    public async Task Quit_closes_the_connection_and_the_id_becomes_unknown()
    {
        var (a, aId) = await LineSocket.ConnectClientAsync(_node.ClientEndpoint);
        var (b, _) = await LineSocket.ConnectClientAsync(_node.ClientEndpoint);
        await using var _a = a;
        await using var _b = b;

        await a.SendAsync("QUIT\nTO:2:ignored after quit\n");

        Assert.Null(await a.TryReadLineAsync());
        await Eventually.UnknownTargetAsync(b, aId);
    }

    [Fact]
    public async Task Survives_a_client_vanishing_mid_message()
    {
        var (a, aId) = await LineSocket.ConnectClientAsync(_node.ClientEndpoint);
        var (b, bId) = await LineSocket.ConnectClientAsync(_node.ClientEndpoint);
        await using var _b = b;

        await a.SendAsync($"TO:{bId}:half a mess");
        a.Socket.LingerState = new LingerOption(true, 0);
        await a.DisposeAsync(); // RST, not FIN: the client is gone, not finished.

        await Eventually.UnknownTargetAsync(b, aId);
        var (c, cId) = await LineSocket.ConnectClientAsync(_node.ClientEndpoint);
        await using var _c = c;
        await b.SendAsync($"TO:{cId}:still relaying\n");
        Assert.Equal($"FROM:{bId}:still relaying", await c.ReadLineAsync());
    }

    [Fact]
    public async Task Gives_every_connection_a_new_id_and_never_reuses_one()
    {
        var ids = new List<long>();
        for (var i = 0; i < 20; i++)
        {
            var (socket, id) = await LineSocket.ConnectClientAsync(_node.ClientEndpoint);
            ids.Add(id);
            if (i % 2 == 0)
                await socket.DisposeAsync();
        }

        Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), ids);
    }

    private static async Task<string> ReceiveOnceAsync(Socket socket)
    {
        var buffer = new byte[1024];
        using var timeout = new CancellationTokenSource(LineSocket.DefaultTimeout);
        var read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
        return Encoding.UTF8.GetString(buffer, 0, read);
    }
}
