using Relay.Testing;
using Xunit.Abstractions;

namespace Relay.Host.Tests;

/// <summary>
/// Over a cluster's life the lease table and the registry's shards follow the id blocks in use,
/// not every block ever leased (docs/operations.md, "Growth over a cluster's lifetime"). Blocks of
/// two ids make every second connect lease a block, so a few hundred connects show what millions
/// would.
/// </summary>
public sealed class ClusterStateGrowthTests(ITestOutputHelper output) : IDisposable
{
    private const int ChurnPerNode = 150;
    // Per node: the bystander's block, and the pool's current and spare blocks.
    private const int BlocksInUsePerNode = 3;

    private readonly string _config = WriteConfig();

    [Fact]
    public async Task Lease_table_and_shards_stay_flat_under_churn_on_three_nodes_and_drop_a_crashed_nodes_blocks()
    {
        await using var cluster = await TestCluster.StartAsync(3, dashboards: true, "--config", _config);
        var dashboards = cluster.Nodes.Select(node => new DashboardClient(node.Dashboard!)).ToArray();
        var bystanders = new List<(LineSocket Socket, long Id)>();
        foreach (var node in cluster.Nodes)
            bystanders.Add(await LineSocket.ConnectClientAsync(node.ClientEndpoint));

        // Each node's passers-by greet the next node's bystander and quit: 450 clients, 225 blocks.
        var churned = await Task.WhenAll(cluster.Nodes.Select((node, i) => ChurnAsync(node, bystanders[(i + 1) % 3].Id)));
        foreach (var (bystander, i) in bystanders.Select((b, i) => (b.Socket, i)))
        {
            var greeters = churned[(i + 2) % 3];
            var greetings = new List<string>();
            for (var n = 0; n < ChurnPerNode; n++)
                greetings.Add(await bystander.ReadLineAsync());
            Assert.Equal(greeters.Select(id => $"FROM:{id}:hello"), greetings);
        }

        var ids = churned.SelectMany(node => node).ToList();
        output.WriteLine($"{ids.Count} clients came and went, ids up to {ids.Max()}: {ids.Max() / 2} blocks leased");
        // A used-up block is given back twice relay.connection.register-timeout (10 s) after its
        // last id went out, at the next check (1 s), and its shard handed off at the next rebalance (1 s).
        await Eventually.TrueAsync(
            $"at most {BlocksInUsePerNode} shards per node and {3 * BlocksInUsePerNode} leases",
            async () => (await CountsAsync(dashboards)).All(c => c.Shards <= BlocksInUsePerNode && c.Leases <= 3 * BlocksInUsePerNode),
            TimeSpan.FromSeconds(45));
        output.WriteLine($"after the churn (shards, leases) per node: {string.Join(", ", await CountsAsync(dashboards))}");

        // The given-back ids (from the middle of the churn: their blocks are used up and hold no
        // bystander) stay unknown, from this node and another; the bystanders still talk across nodes.
        var (first, last) = (bystanders[0], bystanders[1]);
        var (ownGone, otherGone) = (churned[0][ChurnPerNode / 2], churned[1][ChurnPerNode / 2]);
        await first.Socket.SendAsync($"TO:{otherGone}:gone\nTO:{ownGone}:gone\nTO:{last.Id}:still here\n");
        Assert.Equal(
            new[] { $"ERROR:UNKNOWN_TARGET:no client {ownGone}", $"ERROR:UNKNOWN_TARGET:no client {otherGone}" }.Order(),
            new[] { await first.Socket.ReadLineAsync(), await first.Socket.ReadLineAsync() }.Order());
        Assert.Equal($"FROM:{first.Id}:still here", await last.Socket.ReadLineAsync());

        // A crashed node's leases go once it is removed (the split-brain resolver downs it).
        cluster.Nodes[2].Process.KillHard();
        await Eventually.TrueAsync(
            $"at most {2 * BlocksInUsePerNode} leases once the crashed node is removed",
            async () => (await CountsAsync(dashboards[..2])).All(c => c.Leases <= 2 * BlocksInUsePerNode),
            TimeSpan.FromSeconds(40));
        await Eventually.UnknownTargetAsync(first.Socket, bystanders[2].Id);
        await first.Socket.SendAsync($"TO:{last.Id}:after the crash\n");
        Assert.Equal($"FROM:{first.Id}:after the crash", await last.Socket.ReadLineAsync());

        foreach (var (socket, _) in bystanders)
            await socket.DisposeAsync();
        foreach (var dashboard in dashboards)
            dashboard.Dispose();
    }

    public void Dispose() => File.Delete(_config);

    /// <summary>Connects, greets <paramref name="greeted"/> and quits, <see cref="ChurnPerNode"/> times in a row; returns the ids.</summary>
    private static async Task<long[]> ChurnAsync(NodeProcess node, long greeted)
    {
        var ids = new long[ChurnPerNode];
        for (var i = 0; i < ids.Length; i++)
        {
            var (client, id) = await LineSocket.ConnectClientAsync(node.ClientEndpoint);
            await using var _ = client;
            ids[i] = id;
            await client.SendAsync($"TO:{greeted}:hello\nQUIT\n");
            Assert.Null(await client.TryReadLineAsync());
        }

        return ids;
    }

    private static async Task<(double Shards, double Leases)[]> CountsAsync(IEnumerable<DashboardClient> dashboards) =>
        await Task.WhenAll(dashboards.Select(async dashboard =>
            (await dashboard.MetricAsync("relay_registry_shards"), await dashboard.MetricAsync("relay_registry_id_leases"))));

    private static string WriteConfig()
    {
        var path = Path.Combine(Path.GetTempPath(), $"relay-growth-{Guid.NewGuid():N}.conf");
        File.WriteAllText(path, """
            relay.cluster.id-block-size = 2
            relay.cluster.id-low-water = 1
            relay.cluster.id-release-interval = 1s
            akka.cluster.sharding.rebalance-interval = 1s
            """);
        return path;
    }
}
