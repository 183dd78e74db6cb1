using Relay.Testing;

namespace Relay.Actors.Tests.UdpTransport;

/// <summary>A node whose UDP clients expire after one quiet second.</summary>
public sealed class UdpExpiryTests : IAsyncLifetime
{
    private RelayNode _node = null!;

    public async Task InitializeAsync() => _node = await TestNode.StartAsync("""
        relay.udp.port = 0
        relay.udp.idle-timeout = 1s
        """);

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task A_quiet_UDP_client_is_dropped_from_the_registry_its_rooms_and_WHO()
    {
        var (udp, udpId) = await DatagramSocket.HelloAsync(_node.UdpEndpoint!);
        using var _ = udp;
        await udp.SendAsync("JOIN:quiet");
        Assert.Equal("OK:JOIN:quiet", await udp.ReceiveLineAsync());
        var (tcp, _) = await LineSocket.ConnectClientAsync(_node.ClientEndpoint);
        await using var __ = tcp;

        await Eventually.UnknownTargetAsync(tcp, udpId, within: TimeSpan.FromSeconds(5));

        await tcp.SendAsync("MEMBERS:quiet\nWHO\n");
        Assert.Equal("MEMBERS:quiet:0:", await tcp.ReadLineAsync());
        Assert.DoesNotContain(udpId.ToString(System.Globalization.CultureInfo.InvariantCulture), (await tcp.ReadLineAsync()).Split(':')[2].Split(','));
        await udp.SendAsync("PING");
        // Before the session ended, it got the probes the TCP client sent while waiting.
        var line = await udp.ReceiveLineAsync();
        while (line.StartsWith("FROM:", StringComparison.Ordinal))
            line = await udp.ReceiveLineAsync();
        Assert.Equal("ERROR:NO_SESSION:send HELLO first", line);
    }

    [Fact]
    public async Task Any_datagram_keeps_a_UDP_client_alive()
    {
        var (udp, udpId) = await DatagramSocket.HelloAsync(_node.UdpEndpoint!);
        using var _ = udp;
        var (tcp, tcpId) = await LineSocket.ConnectClientAsync(_node.ClientEndpoint);
        await using var __ = tcp;

        // Three times the idle timeout, with a PING every 300 ms.
        for (var i = 0; i < 10; i++)
        {
            await udp.SendAsync("PING");
            Assert.Equal("PONG", await udp.ReceiveLineAsync());
            await Task.Delay(300);
        }

        await tcp.SendAsync($"TO:{udpId}:still here?\n");
        Assert.Equal($"FROM:{tcpId}:still here?", await udp.ReceiveLineAsync());
    }
}
