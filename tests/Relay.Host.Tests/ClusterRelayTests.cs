using Relay.Testing;

namespace Relay.Host.Tests;

/// <summary>Three real nodes on loopback: clients on different nodes talk as if on one.</summary>
public sealed class ClusterRelayTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private NodeProcess[] Nodes => fixture.Cluster.Nodes;

    [Fact]
    public async Task Relays_both_ways_between_clients_on_different_nodes()
    {
        var (a, aId) = await LineSocket.ConnectClientAsync(Nodes[0].ClientEndpoint);
        var (c, cId) = await LineSocket.ConnectClientAsync(Nodes[2].ClientEndpoint);
        await using var _a = a;
        await using var _c = c;

        await a.SendAsync($"TO:{cId}:안녕 from node 1\n");
        Assert.Equal($"FROM:{aId}:안녕 from node 1", await c.ReadLineAsync());

        await c.SendAsync($"TO:{aId}:hello back from node 3\n");
        Assert.Equal($"FROM:{cId}:hello back from node 3", await a.ReadLineAsync());
    }

    [Fact]
    public async Task Gives_ids_that_are_unique_across_the_cluster()
    {
        var clients = new List<LineSocket>();
        var ids = new List<long>();
        try
        {
            foreach (var node in Nodes)
            {
                for (var i = 0; i < 30; i++)
                {
                    var (socket, id) = await LineSocket.ConnectClientAsync(node.ClientEndpoint);
                    clients.Add(socket);
                    ids.Add(id);
                }
            }

            Assert.Equal(ids.Count, ids.Distinct().Count());
            Assert.All(ids, id => Assert.True(id > 0));
        }
        finally
        {
            foreach (var client in clients)
                await client.DisposeAsync();
        }
    }

    [Fact]
    public async Task Relays_2000_cross_node_messages_complete_and_in_order()
    {
        var (a, aId) = await LineSocket.ConnectClientAsync(Nodes[1].ClientEndpoint);
        var (b, bId) = await LineSocket.ConnectClientAsync(Nodes[2].ClientEndpoint);
        await using var _a = a;
        await using var _b = b;

        await Conversation.RelaysInOrderAsync(a, aId, b, bId, 2000);
    }

    [Fact]
    public async Task Reports_unknown_targets_across_nodes()
    {
        var (a, _) = await LineSocket.ConnectClientAsync(Nodes[0].ClientEndpoint);
        var (c, cId) = await LineSocket.ConnectClientAsync(Nodes[2].ClientEndpoint);
        await using var _a = a;
        await c.DisposeAsync();

        // A departed client of another node, and an id in a block nobody leased.
        await Eventually.UnknownTargetAsync(a, cId);
        await a.SendAsync("TO:987654321:nobody\nPING\n");
        Assert.Equal("ERROR:UNKNOWN_TARGET:no client 987654321", await a.ReadLineAsync());
        Assert.Equal("PONG", await a.ReadLineAsync());
    }

    [Fact]
    public async Task Relays_every_line_whole_when_lines_to_unknown_far_away_ids_are_interleaved_in_one_write()
    {
        var (a, aId) = await LineSocket.ConnectClientAsync(Nodes[0].ClientEndpoint);
        var (b, bId) = await LineSocket.ConnectClientAsync(Nodes[1].ClientEndpoint);
        await using var _a = a;
        await using var _b = b;

        // Each line to a block nobody leased makes node 1 ask a majority and hold what follows;
        // the held lines must never be cut by the partial-line rule meanwhile.
        var expected = new List<string>();
        var write = new System.Text.StringBuilder();
        for (var i = 0; i < 2000; i++)
        {
            if (i % 10 == 0)
                write.Append(System.Globalization.CultureInfo.InvariantCulture, $"TO:{11_000_000 + i * 100}:x\n");
            var message = $"{new string('M', 100)}-{i:D6}";
            expected.Add($"FROM:{aId}:{message}");
            write.Append(System.Globalization.CultureInfo.InvariantCulture, $"TO:{bId}:{message}\n");
        }

        await a.SendAsync(write.Append("PING\n").ToString());

        var errors = new List<string>();
        for (var line = await a.ReadLineAsync(TimeSpan.FromSeconds(30)); line != "PONG"; line = await a.ReadLineAsync(TimeSpan.FromSeconds(30)))
            errors.Add(line);
        Assert.Equal(200, errors.Count(e => e.StartsWith("ERROR:UNKNOWN_TARGET:no client 11", StringComparison.Ordinal)));
        Assert.Equal(200, errors.Count);
        foreach (var line in expected)
            Assert.Equal(line, await b.ReadLineAsync());
    }
}
