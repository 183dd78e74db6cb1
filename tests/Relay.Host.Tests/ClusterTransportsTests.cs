using Relay.Testing;

namespace Relay.Host.Tests;

/// <summary>Text, JSON and UDP clients on different nodes of three real node processes.</summary>
public sealed class ClusterTransportsTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private NodeProcess[] Nodes => fixture.Cluster.Nodes;

    [Fact]
    public async Task UDP_on_node_1_reaches_TCP_on_node_3_and_back()
    {
        var (udp, udpId) = await DatagramSocket.HelloAsync(Nodes[0].UdpEndpoint!);
        using var _ = udp;
        var (tcp, tcpId) = await LineSocket.ConnectClientAsync(Nodes[2].ClientEndpoint);
        await using var __ = tcp;

        await udp.SendAsync($"TOACK:r1:{tcpId}:from udp on node 1 ✓");
        Assert.Equal($"FROM:{udpId}:from udp on node 1 ✓", await tcp.ReadLineAsync());
        Assert.Equal("DELIVERED:r1", await udp.ReceiveLineAsync());

        await tcp.SendAsync($"TO:{udpId}:from tcp on node 3\n");
        Assert.Equal($"FROM:{tcpId}:from tcp on node 3", await udp.ReceiveLineAsync());
    }

    [Fact]
    public async Task JSON_on_node_2_reaches_UDP_on_node_1_and_text_on_node_3_byte_for_byte()
    {
        var (json, jsonId) = await ConnectJsonAsync(Nodes[1]);
        await using var _j = json;
        var (udp, udpId) = await DatagramSocket.HelloAsync(Nodes[0].UdpEndpoint!, """{"op":"hello"}""");
        using var _u = udp;
        var (text, textId) = await LineSocket.ConnectClientAsync(Nodes[2].ClientEndpoint);
        await using var _t = text;

        await json.SendAsync($$"""{"op":"to","to":{{udpId}},"text":"say \"hi\" \\ \u0001 é 🎉"}""" + "\n");
        await json.SendAsync($$"""{"op":"to","to":{{textId}},"text":"say \"hi\" \\ \u0001 é 🎉"}""" + "\n");

        Assert.Equal($$"""{"op":"from","from":{{jsonId}},"text":"say \"hi\" \\ \u0001 é 🎉"}""", await udp.ReceiveLineAsync());
        Assert.Equal($"FROM:{jsonId}:say \"hi\" \\ \u0001 é 🎉", await text.ReadLineAsync());

        await text.SendAsync($"TO:{jsonId}:text to json\n");
        Assert.Equal($$"""{"op":"from","from":{{textId}},"text":"text to json"}""", await json.ReadLineAsync());
    }

    [Fact]
    public async Task A_UDP_message_reaches_a_room_of_TCP_and_JSON_members_on_other_nodes()
    {
        var (udp, udpId) = await DatagramSocket.HelloAsync(Nodes[0].UdpEndpoint!);
        using var _u = udp;
        var (text, textId) = await LineSocket.ConnectClientAsync(Nodes[1].ClientEndpoint);
        await using var _t = text;
        var (json, _) = await ConnectJsonAsync(Nodes[2]);
        await using var _j = json;

        await udp.SendAsync("JOIN:transports");
        Assert.Equal("OK:JOIN:transports", await udp.ReceiveLineAsync());
        await text.SendAsync("JOIN:transports\n");
        Assert.Equal("OK:JOIN:transports", await text.ReadLineAsync());
        await json.SendAsync("""{"op":"join","room":"transports","ref":"j"}""" + "\n");
        Assert.Equal("""{"op":"ok","command":"join","room":"transports","ref":"j"}""", await json.ReadLineAsync());

        // PONG follows the room message's confirmation by every node's fan-out actor.
        await udp.SendAsync("ROOM:transports:hello from UDP");
        await udp.SendAsync("PING");
        Assert.Equal("PONG", await udp.ReceiveLineAsync());

        Assert.Equal($"ROOM:transports:{udpId}:hello from UDP", await text.ReadLineAsync());
        Assert.Equal($$"""{"op":"room","room":"transports","from":{{udpId}},"text":"hello from UDP"}""", await json.ReadLineAsync());

        await text.SendAsync("ROOM:transports:hello from text\n");
        Assert.Equal($"ROOM:transports:{textId}:hello from text", await udp.ReceiveLineAsync());
    }

    private static async Task<(LineSocket Socket, long Id)> ConnectJsonAsync(NodeProcess node)
    {
        var (socket, id) = await LineSocket.ConnectClientAsync(node.ClientEndpoint);
        await socket.SendAsync("""{"op":"hello"}""" + "\n");
        Assert.Equal($$"""{"op":"hello","id":{{id}}}""", await socket.ReadLineAsync());
        return (socket, id);
    }
}
