using System.Text;

namespace Relay.Bench.Tests;

/// <summary>The fan-out workload speaks each server's rooms or pub/sub as that server expects (the servers are not needed here).</summary>
public sealed class FanoutProtocolTests
{
    [Fact]
    public void A_RelayChat_room_is_joined_and_published_to_with_ROOM_lines()
    {
        var relay = FanoutProtocol.For(BenchServer.Relay, broadcast: false);
        var message = relay.Message("lobby", 12, out var offset);

        Assert.Equal("JOIN:lobby\n", Encoding.ASCII.GetString(relay.Setup("lobby", sender: false)));
        Assert.Equal("ROOM:lobby:", Encoding.ASCII.GetString(message, 0, offset));
        Assert.Equal(offset + 12 + 1, message.Length);
        var reader = relay.NewReader();
        Assert.Equal(ReceivedKind.Greeting, reader.Read("OK:JOIN:lobby"u8, out _));
        Assert.Equal(ReceivedKind.From, reader.Read("ROOM:lobby:7:0000000001xx"u8, out var text));
        Assert.Equal("0000000001xx", Encoding.ASCII.GetString(text));
        Assert.Equal(ReceivedKind.Other, reader.Read("ERROR:NOT_A_MEMBER:lobby"u8, out _));
    }

    [Fact]
    public void A_RelayChat_broadcast_needs_no_setup()
    {
        var relay = FanoutProtocol.For(BenchServer.Relay, broadcast: true);

        Assert.Empty(relay.Setup("lobby", sender: false));
        Assert.StartsWith("ALL:", Encoding.ASCII.GetString(relay.Message("lobby", 12, out _)), StringComparison.Ordinal);
        Assert.Equal(ReceivedKind.From, relay.NewReader().Read("ALL:7:0000000001xx"u8, out _));
    }

    [Theory]
    [InlineData("Redis")]
    [InlineData("Nats")]
    public void A_peer_channel_is_the_peer_wire_receivers_subscribe_the_sender_only_pings(string name)
    {
        // By name: the enum is internal to the load tool.
        var server = Enum.Parse<BenchServer>(name);
        var fanout = FanoutProtocol.For(server, broadcast: false);
        var wire = PeerWire.For(server);

        Assert.Equal(wire.Handshake("ch"), fanout.Setup("ch", sender: false));
        Assert.Equal(wire.Handshake(null), fanout.Setup("ch", sender: true));
        Assert.Equal(wire.Publish("ch", new byte[12], out var expectedOffset), fanout.Message("ch", 12, out var offset));
        Assert.Equal(expectedOffset, offset);
        Assert.IsType(wire.NewReader().GetType(), fanout.NewReader());
    }

    [Theory]
    [InlineData("Redis")]
    [InlineData("Nats")]
    public void Refuses_broadcast_mode_for_peers(string name) =>
        Assert.Throws<ArgumentException>(() => FanoutProtocol.For(Enum.Parse<BenchServer>(name), broadcast: true));
}
