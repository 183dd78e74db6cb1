using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Relay.Client.Tests;

/// <summary>
/// The JSON greeting over TCP, against a stub node that shows exactly what the client sends: its first
/// object is <c>{"op":"hello"}</c>, text that comes before the switch is still understood, and a node
/// that does not speak JSON is named as such.
/// </summary>
public sealed class JsonClientTests
{
    private static readonly RelayClientOptions Json = RelayClientOptions.Default with { Protocol = RelayProtocol.Json };

    [Fact]
    public async Task Says_hello_first_and_reads_text_before_the_switch_and_json_after_it()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var node = Task.Run(async () =>
        {
            using var peer = await listener.AcceptSocketAsync();
            // A message from another client can come before the node has seen this client's first '{'.
            await peer.SendAsync("YOUR_ID:7\nFROM:3:early, as text\n"u8.ToArray());
            var first = await ReadLineAsync(peer);
            await peer.SendAsync("{\"op\":\"hello\",\"id\":7}\n{\"op\":\"from\",\"from\":3,\"text\":\"later: \\\"json\\\"\"}\n"u8.ToArray());
            var second = await ReadLineAsync(peer);
            await peer.SendAsync("{\"op\":\"pong\"}\n"u8.ToArray());
            return (first, second);
        });

        await using var client = await RelayClient.ConnectAsync("127.0.0.1", ((IPEndPoint)listener.LocalEndpoint).Port, Json);
        await client.PingAsync();

        Assert.Equal(7, client.Id);
        Assert.Equal(new MessageReceived(3, "early, as text"), await client.NextEventAsync());
        Assert.Equal(new MessageReceived(3, "later: \"json\""), await client.NextEventAsync());
        Assert.Same(PongReceived.Instance, await client.NextEventAsync());
        Assert.Equal(("{\"op\":\"hello\"}", "{\"op\":\"ping\"}"), await node.WaitAsync(EventWaits.Wait));
    }

    [Fact]
    public async Task Says_so_when_the_node_does_not_speak_json()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var node = Task.Run(async () =>
        {
            using var peer = await listener.AcceptSocketAsync();
            await peer.SendAsync("YOUR_ID:7\n"u8.ToArray());
            await ReadLineAsync(peer);
            await peer.SendAsync("ERROR:UNKNOWN_COMMAND:expected TO, TOACK, ALL, JOIN, LEAVE, ROOM, ROOMS, MEMBERS, WHO, WATCH, PING or QUIT\n"u8.ToArray());
            await ReadLineAsync(peer);
        });

        var error = await Assert.ThrowsAsync<RelayConnectionException>(() => RelayClient.ConnectAsync("127.0.0.1", port, Json));

        Assert.Equal(
            $"cannot connect to 127.0.0.1:{port}: the node does not speak JSON; it answered ERROR:UNKNOWN_COMMAND:expected TO, TOACK, ALL, JOIN, LEAVE, ROOM, ROOMS, MEMBERS, WHO, WATCH, PING or QUIT",
            error.Message);
        await node.WaitAsync(EventWaits.Wait);
    }

    [Fact]
    public async Task Refuses_a_message_that_is_not_valid_utf8_rather_than_send_what_json_cannot_carry()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        _ = Task.Run(async () =>
        {
            using var peer = await listener.AcceptSocketAsync();
            await peer.SendAsync("YOUR_ID:7\n"u8.ToArray());
            await ReadLineAsync(peer);
            await peer.SendAsync("{\"op\":\"hello\",\"id\":7}\n"u8.ToArray());
            await ReadLineAsync(peer);
        });
        await using var client = await RelayClient.ConnectAsync("127.0.0.1", ((IPEndPoint)listener.LocalEndpoint).Port, Json);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => client.SendAsync(3, new byte[] { 0xff, 0xfe }).AsTask());

        Assert.Equal("The message is not valid UTF-8, which JSON cannot carry.", error.Message);
    }

    private static async Task<string> ReadLineAsync(Socket peer)
    {
        var line = new List<byte>();
        var one = new byte[1];
        using var timeout = new CancellationTokenSource(EventWaits.Wait);
        while (await peer.ReceiveAsync(one, SocketFlags.None, timeout.Token) == 1 && one[0] != '\n')
            line.Add(one[0]);
        return Encoding.UTF8.GetString(line.ToArray());
    }
}
