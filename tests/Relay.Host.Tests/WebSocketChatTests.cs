using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using Relay.Testing;

namespace Relay.Host.Tests;

/// <summary>Browser chat: WebSocket clients at /ws speak the JSON protocol with everyone else.</summary>
public sealed class WebSocketChatTests
{
    private static async Task<NodeProcess> StartNodeAsync(params string[] args) =>
        await NodeProcess.StartAsync(["--dashboard-port", FreePorts.Take(1)[0].ToString(CultureInfo.InvariantCulture), .. args]);

    [Fact]
    public async Task A_websocket_client_and_a_tcp_client_talk_both_ways()
    {
        await using var node = await StartNodeAsync();
        var (chat, chatId) = await ChatSocket.ConnectAsync(node.Dashboard!);
        var (tcp, tcpId) = await LineSocket.ConnectClientAsync(node.ClientEndpoint);
        await using var _chat = chat;
        await using var _tcp = tcp;

        await tcp.SendAsync($"TO:{chatId}:안녕 \"browser\"\n");
        var from = await chat.ReceiveAsync();
        await chat.SendAsync($$"""{"op":"to","to":{{tcpId}},"text":"hi from the page"}""");

        Assert.Equal(("from", tcpId, "안녕 \"browser\""), (from.GetProperty("op").GetString(), from.GetProperty("from").GetInt64(), from.GetProperty("text").GetString()));
        Assert.Equal($"FROM:{chatId}:hi from the page", await tcp.ReadLineAsync());
    }

    [Fact]
    public async Task A_websocket_client_joins_rooms_and_sees_broadcasts_from_other_nodes()
    {
        await using var cluster = await TestCluster.StartAsync(2, dashboards: true);
        var (chat, chatId) = await ChatSocket.ConnectAsync(cluster.Nodes[0].Dashboard!);
        var (tcp, tcpId) = await LineSocket.ConnectClientAsync(cluster.Nodes[1].ClientEndpoint);
        await using var _chat = chat;
        await using var _tcp = tcp;

        await chat.SendAsync("""{"op":"join","room":"dev","ref":"j1"}""");
        var joined = await chat.ReceiveAsync();
        await tcp.SendAsync("JOIN:dev\n");
        Assert.Equal("OK:JOIN:dev", await tcp.ReadLineAsync());
        // The room's membership crosses nodes within a message's latency: ask until it has both.
        await Eventually.ReplyAsync(tcp, "MEMBERS:dev", "MEMBERS:", line => line.EndsWith($"{chatId},{tcpId}", StringComparison.Ordinal) || line.EndsWith($"{tcpId},{chatId}", StringComparison.Ordinal));
        await tcp.SendAsync("ROOM:dev:to the room\nALL:to everyone\n");

        Assert.Equal(("ok", "j1"), (joined.GetProperty("op").GetString(), joined.GetProperty("ref").GetString()));
        var room = await chat.ReceiveAsync();
        var all = await chat.ReceiveAsync();
        Assert.Equal(("room", "dev", tcpId, "to the room"), (room.GetProperty("op").GetString(), room.GetProperty("room").GetString(), room.GetProperty("from").GetInt64(), room.GetProperty("text").GetString()));
        Assert.Equal(("all", tcpId, "to everyone"), (all.GetProperty("op").GetString(), all.GetProperty("from").GetInt64(), all.GetProperty("text").GetString()));
    }

    [Fact]
    public async Task Bad_messages_get_error_objects_and_the_socket_carries_on()
    {
        await using var node = await StartNodeAsync("--config", await ConfigAsync("relay.connection.max-line-bytes = 1 KiB"));
        var (chat, _) = await ChatSocket.ConnectAsync(node.Dashboard!);
        await using var _chat = chat;

        await chat.SendAsync("not json");
        var badJson = await chat.ReceiveAsync();
        await chat.SendAsync("{\"op\":\"nope\"}");
        var unknown = await chat.ReceiveAsync();
        await chat.SendAsync(Encoding.UTF8.GetBytes($$"""{"op":"all","text":"{{new string('x', 5000)}}"}"""));
        var tooLong = await chat.ReceiveAsync();
        await chat.SendAsync("{\"op\":\"ping\",\"ref\":\"p1\"}");
        var pong = await chat.ReceiveAsync();

        Assert.Equal(("error", "BAD_JSON"), (badJson.GetProperty("op").GetString(), badJson.GetProperty("code").GetString()));
        Assert.Equal(("error", "UNKNOWN_COMMAND"), (unknown.GetProperty("op").GetString(), unknown.GetProperty("code").GetString()));
        Assert.Equal(("error", "TOO_LONG"), (tooLong.GetProperty("op").GetString(), tooLong.GetProperty("code").GetString()));
        Assert.Equal(("pong", "p1"), (pong.GetProperty("op").GetString(), pong.GetProperty("ref").GetString()));
    }

    [Fact]
    public async Task A_line_break_inside_a_message_never_splits_it_into_two_commands()
    {
        await using var node = await StartNodeAsync();
        var (chat, _) = await ChatSocket.ConnectAsync(node.Dashboard!);
        await using var _chat = chat;

        // Valid JSON with line breaks between its tokens, then an object with a raw line break inside a string.
        await chat.SendAsync("{\n\"op\":\"ping\",\r\n\"ref\":\"p1\"\n}");
        var pong = await chat.ReceiveAsync();
        await chat.SendAsync("{\"op\":\"all\",\"text\":\"a\nTO:1:b\"}");
        var refused = await chat.ReceiveAsync();
        await chat.SendAsync("{\"op\":\"ping\",\"ref\":\"p2\"}");
        var next = await chat.ReceiveAsync();

        Assert.Equal(("pong", "p1"), (pong.GetProperty("op").GetString(), pong.GetProperty("ref").GetString()));
        Assert.Equal("error", refused.GetProperty("op").GetString());
        Assert.Equal(("pong", "p2"), (next.GetProperty("op").GetString(), next.GetProperty("ref").GetString()));
    }

    [Fact]
    public async Task Quit_closes_the_socket_after_the_replies_before_it()
    {
        await using var node = await StartNodeAsync();
        var (chat, _) = await ChatSocket.ConnectAsync(node.Dashboard!);
        await using var _chat = chat;

        await chat.SendAsync("{\"op\":\"ping\",\"ref\":\"last\"}");
        await chat.SendAsync("{\"op\":\"quit\"}");

        var pong = await chat.ReceiveAsync();
        Assert.Equal("last", pong.GetProperty("ref").GetString());
        Assert.Null(await chat.ReceiveTextAsync());
        Assert.Equal(WebSocketCloseStatus.NormalClosure, chat.Socket.CloseStatus);
    }

    [Fact]
    public async Task A_websocket_client_that_vanishes_is_reported_gone_to_its_senders()
    {
        await using var node = await StartNodeAsync();
        var (chat, chatId) = await ChatSocket.ConnectAsync(node.Dashboard!);
        var (tcp, _) = await LineSocket.ConnectClientAsync(node.ClientEndpoint);
        await using var _tcp = tcp;

        await chat.DisposeAsync();

        await Eventually.UnknownTargetAsync(tcp, chatId);
    }

    [Fact]
    public async Task Its_clients_get_reconnect_when_the_node_leaves()
    {
        await using var node = await StartNodeAsync();
        var (chat, _) = await ChatSocket.ConnectAsync(node.Dashboard!);
        await using var _chat = chat;

        node.Process.Terminate();

        var reconnect = await chat.ReceiveAsync();
        Assert.Equal("reconnect", reconnect.GetProperty("op").GetString());
        Assert.Null(await chat.ReceiveTextAsync());
        Assert.Equal(0, await node.Process.WaitForExitAsync());
    }

    private static async Task<string> ConfigAsync(string hocon)
    {
        var path = Path.Combine(Path.GetTempPath(), $"relay-{Guid.NewGuid():N}.conf");
        await File.WriteAllTextAsync(path, hocon);
        return path;
    }
}
