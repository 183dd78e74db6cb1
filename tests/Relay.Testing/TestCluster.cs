using System.Globalization;

namespace Relay.Testing;

/// <summary>
/// Several real Relay.Host processes forming one cluster on loopback. Every node gets the same
/// seed list (all cluster ports), as a production deployment would, so any node can be restarted.
/// </summary>
public sealed class TestCluster : IAsyncDisposable
{
    private readonly int[] _clusterPorts;
    private readonly int[]? _dashboardPorts;
    private readonly string[] _extraArgs;

    private TestCluster(int[] clusterPorts, int[]? dashboardPorts, string[] extraArgs)
    {
        _clusterPorts = clusterPorts;
        _dashboardPorts = dashboardPorts;
        _extraArgs = extraArgs;
        Nodes = new NodeProcess[clusterPorts.Length];
    }

    /// <summary>The nodes, in start order; node 0 is the first seed.</summary>
    public NodeProcess[] Nodes { get; }

    /// <summary>Starts <paramref name="size"/> nodes and waits until each accepts clients.</summary>
    public static Task<TestCluster> StartAsync(int size, params string[] extraArgs) => StartAsync(size, dashboards: false, extraArgs);

    /// <summary>As <see cref="StartAsync(int, string[])"/>; with <paramref name="dashboards"/>, each node serves its dashboard (<see cref="NodeProcess.Dashboard"/>).</summary>
    public static async Task<TestCluster> StartAsync(int size, bool dashboards, params string[] extraArgs)
    {
        var ports = FreePorts.Take(dashboards ? 2 * size : size);
        var cluster = new TestCluster(ports[..size], dashboards ? ports[size..] : null, extraArgs);
        try
        {
            await cluster.StartNodeAsync(0);
            await Task.WhenAll(Enumerable.Range(1, size - 1).Select(cluster.StartNodeAsync));
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>(Re)starts node <paramref name="index"/> on its cluster port, with a new client port.</summary>
    public async Task StartNodeAsync(int index)
    {
        var seeds = string.Join(',', _clusterPorts.Select(port => $"127.0.0.1:{port}"));
        string[] dashboard = _dashboardPorts is null ? [] : ["--dashboard-port", _dashboardPorts[index].ToString(CultureInfo.InvariantCulture)];
        Nodes[index] = await NodeProcess.StartAsync(
            ["--cluster-port", _clusterPorts[index].ToString(CultureInfo.InvariantCulture), "--seeds", seeds, .. dashboard, .. _extraArgs]);
    }

    /// <summary>Kills every node still running.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes)
        {
            if (node is not null)
                await node.DisposeAsync();
        }
    }
}
