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

    [Theory]
    [InlineData("Redis")]
    [InlineData("Nats")]
    public void A_peer_client_sends_to_the_channel_of_its_partner_and_reads_what_it_publishes(string name)
    {
        // By name: the enum is internal to the load tool.
        var server = Enum.Parse<BenchServer>(name);
        // Client 0 has id 1 and subscribes to the run's channel for 1; a message to id 1 goes there.
        var wire = ClientWire.For(new BenchOptions([new(System.Net.IPAddress.Loopback, 1)], TimeSpan.FromSeconds(1), false, Server: server));
        var template = Encoding.ASCII.GetString(wire.MessageTemplate(1, Payload, out var offset));

        Assert.Matches(server == BenchServer.Redis ? @"^\*3\r\n\$7\r\nPUBLISH\r\n\$\d+\r\nrb[0-9a-f]{6}\.1\r\n" : @"^PUB rb[0-9a-f]{6}\.1 16\r\n", template);
        Assert.Equal("0000000042xxxxxx", template.Substring(offset, Payload.Length));
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void A_peer_speaks_its_own_protocol_not_RelayChat_JSON_or_UDP(bool json, bool udp) =>
        Assert.Throws<ArgumentException>(() => ClientWire.For(
            new BenchOptions([new(System.Net.IPAddress.Loopback, 1)], TimeSpan.FromSeconds(1), false, Json: json, Udp: udp, Server: BenchServer.Nats)));
}
