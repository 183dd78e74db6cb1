using System.Globalization;
using System.Net;

namespace Relay.Testing;

/// <summary>
/// Real Relay.Host processes forming one cluster, each in its own network namespace
/// (<see cref="NetworkNamespaces"/>): a node's cluster port is on the namespaces' bridge, its client
/// port on its link to the test, so <see cref="CutAsync"/> partitions the cluster while every client
/// still reaches every node. Each node binds only its namespace's addresses.
/// </summary>
public sealed class NamespaceCluster : IAsyncDisposable
{
    // Every node has its own addresses, so all can use the same ports.
    private const int ClientPort = 9001;
    private const int ClusterPort = 4051;

    private readonly NetworkNamespaces _network;
    private readonly string _configDirectory;
    private readonly string[] _extraArgs;

    private NamespaceCluster(NetworkNamespaces network, string[] extraArgs)
    {
        _network = network;
        _extraArgs = extraArgs;
        _configDirectory = Directory.CreateTempSubdirectory("relay-netns-").FullName;
        Nodes = new NodeProcess[network.Hosts.Count];
    }

    /// <summary>The nodes, in start order; node 0 is the first seed. A node that exited stays here until restarted.</summary>
    public NodeProcess[] Nodes { get; }

    /// <summary>The namespaces the nodes run in.</summary>
    public IReadOnlyList<NamespaceHost> Hosts => _network.Hosts;

    /// <summary>Makes the network and starts <paramref name="size"/> nodes on it; returns once each accepts clients.</summary>
    public static async Task<NamespaceCluster> StartAsync(int size, params string[] extraArgs)
    {
        var network = await NetworkNamespaces.CreateAsync(size);
        var cluster = new NamespaceCluster(network, extraArgs);
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

    /// <summary>Where node <paramref name="index"/>'s clients connect (its address on the client link, whether or not it runs).</summary>
    public IPEndPoint ClientEndpoint(int index) => new(Hosts[index].ClientAddress, ClientPort);

    /// <summary>(Re)starts node <paramref name="index"/> on its addresses and ports.</summary>
    public async Task StartNodeAsync(int index)
    {
        var host = Hosts[index];
        // The client listener and the cluster port bind different addresses of the namespace, which
        // the command line cannot say (--host sets both): a config file can.
        var config = Path.Combine(_configDirectory, $"node{index}.conf");
        await File.WriteAllTextAsync(config, $"""
            relay.client-endpoint.host = "{host.ClientAddress}"
            akka.remote.dot-netty.tcp.hostname = "{host.ClusterAddress}"
            """);
        var seeds = string.Join(',', Hosts.Select(h => $"{h.ClusterAddress}:{ClusterPort}"));
        Nodes[index] = await NodeProcess.StartAsync(host.Launcher,
        [
            "--config", config, "--port", ClientPort.ToString(CultureInfo.InvariantCulture),
            "--cluster-port", ClusterPort.ToString(CultureInfo.InvariantCulture), "--seeds", seeds, .. _extraArgs,
        ]);
    }

    /// <summary>Cuts node <paramref name="index"/>'s cluster link: it and the others stop hearing each other, silently.</summary>
    public Task CutAsync(int index) => _network.CutAsync(index);

    /// <summary>Restores node <paramref name="index"/>'s cluster link.</summary>
    public Task HealAsync(int index) => _network.HealAsync(index);

    /// <summary>Kills every node still running, then removes the network and the config files.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes)
        {
            if (node is not null)
                await node.DisposeAsync();
        }

        await _network.DisposeAsync();
        Directory.Delete(_configDirectory, recursive: true);
    }
}
