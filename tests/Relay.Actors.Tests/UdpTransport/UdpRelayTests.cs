using System.Text;
using Relay.Testing;

namespace Relay.Actors.Tests.UdpTransport;

/// <summary>One real node with its UDP port open; real datagrams, real TCP sockets.</summary>
public sealed class UdpRelayTests : IAsyncLifetime
{
    private RelayNode _node = null!;

    private System.Net.IPEndPoint Udp => _node.UdpEndpoint!;

    public async Task InitializeAsync() => _node = await TestNode.StartAsync("relay.udp.port = 0");

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task HELLO_opens_a_session_and_a_repeated_HELLO_gets_the_same_id()
    {
        var (client, id) = await DatagramSocket.HelloAsync(Udp);
        using var _ = client;

        await client.SendAsync("hello\n");

        Assert.Equal($"YOUR_ID:{id}", await client.ReceiveLineAsync());
    }

    [Fact]
    public async Task A_HELLO_repeated_while_the_id_is_being_assigned_gets_one_greeting()
    {
        using var client = DatagramSocket.Open(Udp);

        // Both arrive before the id lease is confirmed (the first connect of a fresh node waits for it).
        await client.SendAsync("HELLO");
        await client.SendAsync("HELLO");
        await client.SendAsync("HELLO");

        Assert.StartsWith("YOUR_ID:", await client.ReceiveLineAsync());
        await client.SendAsync("PING");
        Assert.Equal("PONG", await client.ReceiveLineAsync());
    }

    [Fact]
    public async Task Relays_UDP_to_TCP_and_TCP_to_UDP_byte_for_byte()
    {
        var (udp, udpId) = await DatagramSocket.HelloAsync(Udp);
        using var _ = udp;
        var (tcp, tcpId) = await LineSocket.ConnectClientAsync(_node.ClientEndpoint);
        await using var __ = tcp;

        await udp.SendAsync($"TO:{tcpId}:über \"udp\" a:b\t\u0001 🎉\n");
        Assert.Equal($"FROM:{udpId}:über \"udp\" a:b\t\u0001 🎉", await tcp.ReadLineAsync());

        await tcp.SendAsync($"TO:{udpId}:back from tcp ✓\n");
        Assert.Equal($"FROM:{tcpId}:back from tcp ✓", await udp.ReceiveLineAsync());
    }

    [Fact]
    public async Task A_JSON_UDP_client_and_a_text_TCP_client_talk_to_each_other()
    {
        var (udp, udpId) = await DatagramSocket.HelloAsync(Udp, """{"op":"hello"}""");
        using var _ = udp;
        var (tcp, tcpId) = await LineSocket.ConnectClientAsync(_node.ClientEndpoint);
        await using var __ = tcp;

        await udp.SendAsync($$"""{"op":"to","to":{{tcpId}},"text":"q\"b\\ é","ref":"r1"}""");
        Assert.Equal($"FROM:{udpId}:q\"b\\ é", await tcp.ReadLineAsync());
        Assert.Equal("""{"op":"delivered","ref":"r1"}""", await udp.ReceiveLineAsync());

        await tcp.SendAsync($"TO:{udpId}:tab\there\n");
        Assert.Equal($$"""{"op":"from","from":{{tcpId}},"text":"tab\there"}""", await udp.ReceiveLineAsync());
    }

    [Fact]
    public async Task A_room_of_UDP_TCP_and_JSON_members_gets_every_members_messages()
    {
        var (udp, udpId) = await DatagramSocket.HelloAsync(Udp);
        using var _u = udp;
        var (tcp, tcpId) = await LineSocket.ConnectClientAsync(_node.ClientEndpoint);
        await using var _t = tcp;
        var (json, jsonId) = await LineSocket.ConnectClientAsync(_node.ClientEndpoint);
        await using var _j = json;

        await udp.SendAsync("JOIN:mixed");
        Assert.Equal("OK:JOIN:mixed", await udp.ReceiveLineAsync());
        await tcp.SendAsync("JOIN:mixed\n");
        Assert.Equal("OK:JOIN:mixed", await tcp.ReadLineAsync());
        await json.SendAsync("""{"op":"join","room":"mixed"}""" + "\n");
        Assert.Equal($$"""{"op":"hello","id":{{jsonId}}}""", await json.ReadLineAsync());
        Assert.Equal("""{"op":"ok","command":"join","room":"mixed"}""", await json.ReadLineAsync());

        await udp.SendAsync("ROOM:mixed:from udp");
        Assert.Equal($"ROOM:mixed:{udpId}:from udp", await tcp.ReadLineAsync());
        Assert.Equal($$"""{"op":"room","room":"mixed","from":{{udpId}},"text":"from udp"}""", await json.ReadLineAsync());

        await json.SendAsync("""{"op":"room","room":"mixed","text":"from json"}""" + "\n");
        Assert.Equal($"ROOM:mixed:{jsonId}:from json", await udp.ReceiveLineAsync());
        Assert.Equal($"ROOM:mixed:{jsonId}:from json", await tcp.ReadLineAsync());

        await tcp.SendAsync("ALL:to everyone\n");
        Assert.Equal($"ALL:{tcpId}:to everyone", await udp.ReceiveLineAsync());
        Assert.Equal($$"""{"op":"all","from":{{tcpId}},"text":"to everyone"}""", await json.ReadLineAsync());
    }

    [Fact]
    public async Task A_datagram_from_an_address_without_a_session_gets_NO_SESSION_in_its_protocol()
    {
        using var stranger = DatagramSocket.Open(Udp);

        await stranger.SendAsync("TO:1:hi");
        Assert.Equal("ERROR:NO_SESSION:send HELLO first", await stranger.ReceiveLineAsync());
        await stranger.SendAsync("""{"op":"ping"}""");
        Assert.Equal("""{"op":"error","code":"NO_SESSION","text":"send HELLO first"}""", await stranger.ReceiveLineAsync());
    }

    [Theory]
    [InlineData("x", "ERROR:NO_SESSION:send HELLO first")]
    [InlineData("{", """{"op":"error","code":"NO_SESSION","text":""}""")]
    [InlineData("{}", """{"op":"error","code":"NO_SESSION","text":"send HELLO first"}""")]
    public async Task A_stranger_is_answered_NO_SESSION_within_three_times_its_datagram(string datagram, string reply)
    {
        using var stranger = DatagramSocket.Open(Udp);

        await stranger.SendAsync(datagram);

        var answer = await stranger.TryReceiveDatagramAsync() ?? throw new TimeoutException("no answer");
        Assert.Equal(reply + "\n", Encoding.UTF8.GetString(answer));
        Assert.InRange(answer.Length + 28, 1, 3 * (datagram.Length + 28));
    }

    [Fact]
    public async Task An_oversized_datagram_gets_TOO_LONG_and_the_session_goes_on()
    {
        var (client, _) = await DatagramSocket.HelloAsync(Udp);
        using var __ = client;

        await client.SendAsync("TO:1:" + new string('x', 9000));
        Assert.Equal("ERROR:TOO_LONG:line longer than 8192 bytes discarded", await client.ReceiveLineAsync());

        await client.SendAsync("PING");
        Assert.Equal("PONG", await client.ReceiveLineAsync());
    }

    [Fact]
    public async Task A_datagram_of_several_lines_is_refused_whole()
    {
        var (client, _) = await DatagramSocket.HelloAsync(Udp);
        using var __ = client;

        await client.SendAsync("PING\nPING\n");
        Assert.Equal("ERROR:BAD_FORMAT:one command per datagram", await client.ReceiveLineAsync());
        await client.SendAsync("PING\r\n");
        Assert.Equal("PONG", await client.ReceiveLineAsync());
    }

    [Fact]
    public async Task Error_lines_are_never_answered_so_forged_sources_cannot_set_up_a_loop()
    {
        var (client, _) = await DatagramSocket.HelloAsync(Udp);
        using var __ = client;
        using var stranger = DatagramSocket.Open(Udp);

        await client.SendAsync("ERROR:UNKNOWN_COMMAND:");
        await client.SendAsync("""{"op":"error","code":"UNKNOWN_COMMAND"}""");
        await stranger.SendAsync("ERROR:NO_SESSION:send HELLO first");
        await client.SendAsync("PING");
        await stranger.SendAsync("PING");

        // Datagrams from one socket are handled in order: had the errors been answered, those
        // answers would come before these.
        Assert.Equal("PONG", await client.ReceiveLineAsync());
        Assert.Equal("ERROR:NO_SESSION:send HELLO first", await stranger.ReceiveLineAsync());
        Assert.Null(await stranger.TryReceiveLineAsync(TimeSpan.FromMilliseconds(300)));
    }

    [Theory]
    [InlineData("ALL:5:hi")]
    [InlineData("ROOM:echo:12:hi")]
    public async Task A_broadcast_that_reads_like_the_nodes_own_line_is_refused_so_an_echo_cannot_loop(string line)
    {
        // A session whose address belongs to an echo service (or another node) gets ALL:<id>:<text>
        // back as a command: broadcasting it again would loop for ever.
        var (udp, _) = await DatagramSocket.HelloAsync(Udp);
        using var _u = udp;
        var (watcher, _) = await LineSocket.ConnectClientAsync(_node.ClientEndpoint);
        await using var _w = watcher;
        await udp.SendAsync("JOIN:echo");
        Assert.Equal("OK:JOIN:echo", await udp.ReceiveLineAsync());

        await udp.SendAsync(line);

        Assert.Equal("ERROR:BAD_FORMAT:a UDP message cannot start with <digits>:", await udp.ReceiveLineAsync());
        await watcher.SendAsync("PING\n");
        Assert.Equal("PONG", await watcher.ReadLineAsync());
    }

    [Fact]
    public async Task A_cut_error_keeps_its_ref_and_cause_and_says_it_was_cut()
    {
        var (client, _) = await DatagramSocket.HelloAsync(Udp);
        using var _ = client;

        await client.SendAsync("TOACK:r10:1");
        var refused = await client.ReceiveLineAsync();
        Assert.StartsWith("ERROR:NOT_DELIVERED:r10:BAD_FORMAT:expected TOACK", refused);
        Assert.EndsWith("...", refused);
        Assert.InRange(refused.Length + 1, 1, Relay.Protocol.Udp.Datagrams.ReplyBudget("TOACK:r10:1".Length));

        await client.SendAsync("BOGUS");
        var unknown = await client.ReceiveLineAsync();
        Assert.StartsWith("ERROR:UNKNOWN_COMMAND:expected TO, TOACK,", unknown);
        Assert.EndsWith("...", unknown);
    }

    [Fact]
    public async Task A_page_that_cannot_hold_one_item_within_the_bound_says_to_pad_the_request()
    {
        var (member, _) = await LineSocket.ConnectClientAsync(_node.ClientEndpoint);
        await using var _m = member;
        var longRoom = new string('r', 64);
        await member.SendAsync($"JOIN:{longRoom}\n");
        Assert.Equal($"OK:JOIN:{longRoom}", await member.ReadLineAsync());
        var (client, _) = await DatagramSocket.HelloAsync(Udp);
        using var _c = client;

        await client.SendAsync("ROOMS");
        Assert.StartsWith("ERROR:TOO_LONG:", await client.ReceiveLineAsync());

        await client.SendAsync("ROOMS:" + new string(' ', 40));
        Assert.StartsWith("ERROR:BAD_NAME:", await client.ReceiveLineAsync());
        await client.SendAsync("WHO:0" + new string(' ', 40));
        Assert.StartsWith("WHO:", await client.ReceiveLineAsync());
    }

    [Fact]
    public async Task QUIT_removes_the_client_at_once()
    {
        var (udp, udpId) = await DatagramSocket.HelloAsync(Udp);
        using var _ = udp;
        var (tcp, _) = await LineSocket.ConnectClientAsync(_node.ClientEndpoint);
        await using var __ = tcp;

        await udp.SendAsync("QUIT");

        await Eventually.UnknownTargetAsync(tcp, udpId, within: TimeSpan.FromSeconds(2));
        await udp.SendAsync("PING");
        // A probe may have reached it before its QUIT was handled.
        var line = await udp.ReceiveLineAsync();
        while (line.StartsWith("FROM:", StringComparison.Ordinal))
            line = await udp.ReceiveLineAsync();
        Assert.Equal("ERROR:NO_SESSION:send HELLO first", line);
    }

    [Theory]
    [InlineData("PING", "PONG")]
    [InlineData("WHO", "WHO:")]
    [InlineData("JOIN:bye", "OK:JOIN:bye")]
    [InlineData("bogus", "ERROR:UNKNOWN_COMMAND:")]
    [InlineData("TOACK:r9:999999:x", "ERROR:NOT_DELIVERED:r9:UNKNOWN_TARGET:")]
    public async Task A_reply_still_comes_when_QUIT_follows_its_command_at_once(string command, string replyStart)
    {
        var (client, _) = await DatagramSocket.HelloAsync(Udp);
        using var _ = client;

        await client.SendAsync(command);
        await client.SendAsync("QUIT");

        Assert.StartsWith(replyStart, await client.ReceiveLineAsync());
        await client.SendAsync("PING");
        Assert.Equal("ERROR:NO_SESSION:send HELLO first", await client.ReceiveLineAsync());
    }

    [Fact]
    public async Task Lines_for_a_UDP_client_are_packed_into_datagrams_of_at_most_1200_bytes_in_order()
    {
        var (udp, udpId) = await DatagramSocket.HelloAsync(Udp);
        using var _ = udp;
        var (tcp, tcpId) = await LineSocket.ConnectClientAsync(_node.ClientEndpoint);
        await using var __ = tcp;
        var lines = Enumerable.Range(0, 60).Select(i => $"TO:{udpId}:message {i:D3} {new string('m', 80)}\n");

        await tcp.SendAsync(string.Concat(lines));

        var received = new List<string>();
        while (received.Count < 60)
        {
            var datagram = await udp.TryReceiveDatagramAsync() ?? throw new TimeoutException($"{received.Count} of 60 lines arrived");
            Assert.InRange(datagram.Length, 1, 1200);
            Assert.EndsWith("\n", Encoding.UTF8.GetString(datagram));
            received.AddRange(Encoding.UTF8.GetString(datagram).TrimEnd('\n').Split('\n'));
        }

        Assert.Equal(Enumerable.Range(0, 60).Select(i => $"FROM:{tcpId}:message {i:D3} {new string('m', 80)}"), received);
    }

    [Theory]
    [InlineData("x")]
    [InlineData("TO")]
    [InlineData("TO:1")]
    [InlineData("WHO")]
    [InlineData("ROOMS")]
    [InlineData("MEMBERS:big")]
    [InlineData("JOIN:a b")]
    [InlineData("ROOM:nope:x")]
    [InlineData("TOACK:r:999999:x")]
    [InlineData("HELLO")]
    [InlineData("{}")]
    [InlineData("""{"op":"who"}""")]
    [InlineData("""{"op":"rooms"}""")]
    [InlineData("{")]
    public async Task Replies_are_never_more_than_three_times_the_datagram_on_the_wire(string request)
    {
        // Many clients online and in one room, many rooms: full pages would be kilobytes.
        var crowd = new List<LineSocket>();
        for (var i = 0; i < 40; i++)
        {
            var (socket, _) = await LineSocket.ConnectClientAsync(_node.ClientEndpoint);
            crowd.Add(socket);
            await socket.SendAsync($"JOIN:big\nJOIN:room-with-a-rather-long-name-{i:D3}\n");
            Assert.Equal("OK:JOIN:big", await socket.ReadLineAsync());
            Assert.Equal($"OK:JOIN:room-with-a-rather-long-name-{i:D3}", await socket.ReadLineAsync());
        }

        try
        {
            var (client, _) = await DatagramSocket.HelloAsync(Udp);
            using var _ = client;
            await client.SendAsync(request);
            var replies = new List<byte[]>();
            await client.SendAsync("PING");
            while (await client.TryReceiveDatagramAsync() is { } datagram && Encoding.UTF8.GetString(datagram) != "PONG\n")
                replies.Add(datagram);

            var requestOnWire = Encoding.UTF8.GetByteCount(request) + 28;
            Assert.All(replies, reply => Assert.InRange(reply.Length + 28, 1, 3 * requestOnWire));
        }
        finally
        {
            foreach (var socket in crowd)
                await socket.DisposeAsync();
        }
    }

    [Fact]
    public async Task Paging_over_UDP_walks_the_whole_list_in_pages_that_fit_the_request()
    {
        var crowd = new List<(LineSocket Socket, long Id)>();
        for (var i = 0; i < 30; i++)
            crowd.Add(await LineSocket.ConnectClientAsync(_node.ClientEndpoint));
        try
        {
            var (client, clientId) = await DatagramSocket.HelloAsync(Udp);
            using var _ = client;
            var seen = new List<long>();
            long after = 0;
            for (var page = 0; page < 100; page++)
            {
                await client.SendAsync($"WHO:{after}");
                var reply = await client.ReceiveLineAsync();
                var parts = reply.Split(':');
                var ids = parts[2].Split(',', StringSplitOptions.RemoveEmptyEntries).Select(long.Parse).ToList();
                seen.AddRange(ids);
                if (parts.Length < 4)
                    break;
                after = ids[^1];
            }

            Assert.Equal(crowd.Select(c => c.Id).Append(clientId).Order(), seen);
        }
        finally
        {
            foreach (var (socket, _) in crowd)
                await socket.DisposeAsync();
        }
    }
}
