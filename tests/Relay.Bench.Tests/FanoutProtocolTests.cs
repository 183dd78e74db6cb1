using System.Text;

namespace Relay.Bench.Tests;

/// <summary>The fan-out workload speaks each peer's pub/sub as that server expects (the servers are not needed here).</summary>
public sealed class FanoutProtocolTests
{
    private static readonly byte[] Payload = Encoding.ASCII.GetBytes("0000000042" + new string('x', 54));

    [Fact]
    public void Publishes_and_reads_Redis_pub_sub()
    {
        var redis = FanoutProtocol.For("redis", broadcast: false);

        Assert.Equal("SUBSCRIBE ch\r\n", Encoding.ASCII.GetString(redis.Setup("ch", sender: false)));
        Assert.Equal("PING\r\n", Encoding.ASCII.GetString(redis.Setup("ch", sender: true)));
        Assert.Equal($"PUBLISH ch {Encoding.ASCII.GetString(Payload)}\r\n", Encoding.ASCII.GetString(redis.Message("ch", Payload)));
        Assert.True(redis.IsReady("subscribe"u8));
        // A delivered message: *3, $7, message, $2, ch, $64, <payload>; only the payload line counts.
        Assert.False(redis.TryDelivered("message"u8, 64, out _));
        Assert.False(redis.TryDelivered("$64"u8, 64, out _));
        Assert.True(redis.TryDelivered(Payload, 64, out var payload));
        Assert.Equal(Payload, payload.ToArray());
    }

    [Fact]
    public void Publishes_and_reads_NATS_core_pub_sub()
    {
        var nats = FanoutProtocol.For("nats", broadcast: false);

        Assert.Equal("CONNECT {\"verbose\":false,\"pedantic\":false}\r\nSUB ch 1\r\nPING\r\n", Encoding.ASCII.GetString(nats.Setup("ch", sender: false)));
        Assert.DoesNotContain("SUB", Encoding.ASCII.GetString(nats.Setup("ch", sender: true)).Replace("CONNECT", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Equal($"PUB ch 64\r\n{Encoding.ASCII.GetString(Payload)}\r\n", Encoding.ASCII.GetString(nats.Message("ch", Payload)));
        Assert.True(nats.IsReady("PONG"u8));
        Assert.False(nats.TryDelivered("MSG ch 1 64"u8, 64, out _));
        Assert.True(nats.TryDelivered(Payload, 64, out _));
    }

    [Theory]
    [InlineData("redis")]
    [InlineData("nats")]
    public void Refuses_broadcast_mode_for_peers(string server) =>
        Assert.Throws<ArgumentException>(() => FanoutProtocol.For(server, broadcast: true));

    [Fact]
    public void Refuses_an_unknown_server() =>
        Assert.Throws<ArgumentException>(() => FanoutProtocol.For("kafka", broadcast: false));
}
