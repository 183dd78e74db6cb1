using System.Globalization;
using System.Net.Sockets;
using Relay.Testing;

namespace Relay.Actors.Tests.TcpTransport;

/// <summary>Broadcast, rooms, presence and receipts on one real node, over real sockets.</summary>
public sealed class RoomsOverTcpTests : IAsyncLifetime
{
    private RelayNode _node = null!;

    // A small bound, so that a member that stops reading is found out after little traffic.
    public async Task InitializeAsync() => _node = await TestNode.StartAsync("relay.connection.max-outbound-bytes = 256 KiB");

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task A_member_that_stops_reading_is_disconnected_and_the_others_get_every_message_in_order()
    {
        var (sender, senderId) = await LineSocket.ConnectClientAsync(_node.ClientEndpoint);
        var (reader, _) = await LineSocket.ConnectClientAsync(_node.ClientEndpoint);
        var stalled = await LineSocket.ConnectAsync(_node.ClientEndpoint);
        stalled.Socket.ReceiveBufferSize = 4096;
        var stalledId = long.Parse((await stalled.ReadLineAsync())["YOUR_ID:".Length..], CultureInfo.InvariantCulture);
        await using var _s = sender;
        await using var _r = reader;
        await using var _st = stalled;
        foreach (var member in new[] { sender, reader, stalled })
        {
            await member.SendAsync("JOIN:busy\n");
            Assert.Equal("OK:JOIN:busy", await member.ReadLineAsync());
        }

        // 10 MB for each member, 100 KB at a time: the reader takes each batch before the next is
        // sent (so it never falls behind by more than a batch), the stalled one takes nothing, and
        // its kernel buffers (a few MB on loopback) and then its 256 KiB in the node fill up.
        const int count = 10_000;
        var text = new string('m', 1000);
        for (var first = 0; first < count; first += 100)
        {
            await sender.SendAsync(string.Concat(Enumerable.Range(first, 100).Select(i => $"ROOM:busy:{i} {text}\n")) + "PING\n");
            for (var i = first; i < first + 100; i++)
                Assert.Equal($"ROOM:busy:{senderId}:{i} {text}", await reader.ReadLineAsync());
            Assert.Equal("PONG", await sender.ReadLineAsync());
        }

        var members = await Eventually.ReplyAsync(sender, "MEMBERS:busy", "MEMBERS:busy:", line => line.StartsWith("MEMBERS:busy:2:", StringComparison.Ordinal));
        Assert.DoesNotContain(stalledId.ToString(CultureInfo.InvariantCulture), members.Split(':')[3].Split(','));
        Assert.True(await stalled.WaitForCloseAsync(), "the stalled member was not disconnected");
    }

    [Fact]
    public async Task A_broadcast_reaches_every_other_client_once_and_not_its_sender()
    {
        var clients = new List<(LineSocket Socket, long Id)>();
        for (var i = 0; i < 5; i++)
            clients.Add(await LineSocket.ConnectClientAsync(_node.ClientEndpoint));
        try
        {
            var (sender, senderId) = clients[0];

            await sender.SendAsync("ALL:안녕 everyone\nPING\n");

            Assert.Equal("PONG", await sender.ReadLineAsync());
            foreach (var (receiver, _) in clients.Skip(1))
            {
                Assert.Equal($"ALL:{senderId}:안녕 everyone", await receiver.ReadLineAsync());
                await receiver.SendAsync("PING\n");
                Assert.Equal("PONG", await receiver.ReadLineAsync());
            }
        }
        finally
        {
            foreach (var (socket, _) in clients)
                await socket.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_watcher_hears_clients_come_and_go_however_they_leave()
    {
        var (watcher, _) = await LineSocket.ConnectClientAsync(_node.ClientEndpoint);
        await using var _w = watcher;
        await watcher.SendAsync("WATCH:ON\n");
        Assert.Equal("OK:WATCH:ON", await watcher.ReadLineAsync());

        var (quitter, quitterId) = await LineSocket.ConnectClientAsync(_node.ClientEndpoint);
        Assert.Equal($"JOINED:{quitterId}", await watcher.ReadLineAsync());
        await quitter.SendAsync("QUIT\n");
        Assert.Equal($"LEFT:{quitterId}", await watcher.ReadLineAsync());
        await quitter.DisposeAsync();

        var (dropper, dropperId) = await LineSocket.ConnectClientAsync(_node.ClientEndpoint);
        Assert.Equal($"JOINED:{dropperId}", await watcher.ReadLineAsync());
        dropper.Socket.LingerState = new LingerOption(true, 0);
        await dropper.DisposeAsync();
        Assert.Equal($"LEFT:{dropperId}", await watcher.ReadLineAsync());

        await watcher.SendAsync("WATCH:OFF\n");
        Assert.Equal("OK:WATCH:OFF", await watcher.ReadLineAsync());
        var (late, _) = await LineSocket.ConnectClientAsync(_node.ClientEndpoint);
        await using var _l = late;
        await watcher.SendAsync("PING\n");
        Assert.Equal("PONG", await watcher.ReadLineAsync());
    }

    [Fact]
    public async Task A_receipt_is_delivered_when_the_target_takes_the_line_and_refused_once_it_left()
    {
        var (a, _) = await LineSocket.ConnectClientAsync(_node.ClientEndpoint);
        var (b, bId) = await LineSocket.ConnectClientAsync(_node.ClientEndpoint);
        await using var _a = a;

        await a.SendAsync($"TOACK:first:{bId}:hello\n");
        Assert.EndsWith(":hello", await b.ReadLineAsync(), StringComparison.Ordinal);
        Assert.Equal("DELIVERED:first", await a.ReadLineAsync());

        await b.SendAsync("QUIT\n");
        Assert.True(await b.WaitForCloseAsync());
        await b.DisposeAsync();
        await a.SendAsync($"TOACK:second:{bId}:anyone?\nQUIT\n");
        Assert.Equal($"ERROR:NOT_DELIVERED:second:UNKNOWN_TARGET:no client {bId}", await a.ReadLineAsync());
        Assert.Null(await a.TryReadLineAsync());
    }
}
