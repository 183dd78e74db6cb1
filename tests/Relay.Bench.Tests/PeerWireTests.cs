using System.Text;

namespace Relay.Bench.Tests;

/// <summary>The commands the load tool sends to Redis and NATS, byte for byte, with the payload located for stamping.</summary>
public sealed class PeerWireTests
{
    private static readonly byte[] Payload = Encoding.ASCII.GetBytes("0000000042xxxxxx");

    [Fact]
    public void Redis_clients_say_HELLO_3_then_subscribe_then_PING_as_RESP_arrays()
    {
        var wire = PeerWire.For(BenchServer.Redis);

        Assert.Equal(
            "*2\r\n$5\r\nHELLO\r\n$1\r\n3\r\n*2\r\n$9\r\nSUBSCRIBE\r\n$6\r\nrb.17a\r\n*1\r\n$4\r\nPING\r\n",
            Encoding.ASCII.GetString(wire.Handshake("rb.17a")));
        Assert.Equal("*2\r\n$5\r\nHELLO\r\n$1\r\n3\r\n*1\r\n$4\r\nPING\r\n", Encoding.ASCII.GetString(wire.Handshake(null)));
    }

    [Fact]
    public void Redis_publish_is_a_RESP_array_with_the_payload_last()
    {
        var command = PeerWire.For(BenchServer.Redis).Publish("rb.2", Payload, out var offset);

        Assert.Equal("*3\r\n$7\r\nPUBLISH\r\n$4\r\nrb.2\r\n$16\r\n0000000042xxxxxx\r\n", Encoding.ASCII.GetString(command));
        Assert.Equal(Payload, command.AsSpan(offset, Payload.Length).ToArray());
    }

    [Fact]
    public void NATS_clients_connect_quietly_subscribe_then_PING()
    {
        var wire = PeerWire.For(BenchServer.Nats);

        Assert.Equal("CONNECT {\"verbose\":false,\"pedantic\":false}\r\nSUB rb.7 1\r\nPING\r\n", Encoding.ASCII.GetString(wire.Handshake("rb.7")));
        Assert.Equal("CONNECT {\"verbose\":false,\"pedantic\":false}\r\nPING\r\n", Encoding.ASCII.GetString(wire.Handshake(null)));
    }

    [Fact]
    public void NATS_publish_is_PUB_with_the_size_then_the_payload()
    {
        var command = PeerWire.For(BenchServer.Nats).Publish("rb.2", Payload, out var offset);

        Assert.Equal("PUB rb.2 16\r\n0000000042xxxxxx\r\n", Encoding.ASCII.GetString(command));
        Assert.Equal(Payload, command.AsSpan(offset, Payload.Length).ToArray());
    }

    [Fact]
    public void RelayChat_is_not_a_peer() =>
        Assert.Throws<ArgumentException>(() => PeerWire.For(BenchServer.Relay));
}
