using System.Net;

namespace Relay.Testing;

/// <summary>A real Relay.Host process on loopback, on a port the OS picked.</summary>
public sealed class NodeProcess : IAsyncDisposable
{
    private const string ListeningLine = "RelayChat node listening on ";
    private const string MemberLine = "cluster member ";
    private const string UdpLine = "UDP on ";
    private const string DashboardLine = "dashboard on ";

    private NodeProcess(TestProcess process, IPEndPoint clientEndpoint, int clusterPort, IPEndPoint? udpEndpoint, Uri? dashboard)
    {
        Dashboard = dashboard;
        Process = process;
        ClientEndpoint = clientEndpoint;
        ClusterPort = clusterPort;
        UdpEndpoint = udpEndpoint;
    }

    /// <summary>The running process.</summary>
    public TestProcess Process { get; }

    /// <summary>Where clients connect.</summary>
    public IPEndPoint ClientEndpoint { get; }

    /// <summary>Where UDP clients send, when the node was started with <c>--udp-port</c>.</summary>
    public IPEndPoint? UdpEndpoint { get; }

    /// <summary>The dashboard's base address, when the node was started with a <c>--dashboard-port</c>.</summary>
    public Uri? Dashboard { get; }

    /// <summary>The port other nodes reach this one on (its seed address is 127.0.0.1:ClusterPort).</summary>
    public int ClusterPort { get; }

    /// <summary>
    /// Starts a node with <paramref name="args"/> (client and cluster ports default to 0, i.e. free
    /// ones) and waits until it is a cluster member that accepts clients.
    /// </summary>
    public static Task<NodeProcess> StartAsync(params string[] args) => StartAsync(openFileLimit: null, args);

    /// <summary>As <see cref="StartAsync(string[])"/>, in a process that may open at most <paramref name="openFileLimit"/> files.</summary>
    public static Task<NodeProcess> StartAsync(int? openFileLimit, params string[] args) =>
        StartAsync(TestProcess.OpenFileLimit(openFileLimit), args);

    /// <summary>
    /// As <see cref="StartAsync(string[])"/>, started through <paramref name="launcher"/> (see
    /// <see cref="TestProcess.StartProject(string, IReadOnlyList{string}, string[])"/>), e.g. inside a
    /// network namespace.
    /// </summary>
    public static async Task<NodeProcess> StartAsync(IReadOnlyList<string> launcher, params string[] args)
    {
        var defaults = new List<string>();
        if (!args.Contains("--port"))
            defaults.AddRange(["--port", "0"]);
        if (!args.Contains("--cluster-port"))
            defaults.AddRange(["--cluster-port", "0"]);
        // Off unless asked for: every node would want port 8080.
        if (!args.Contains("--dashboard-port"))
            defaults.AddRange(["--dashboard-port", "0"]);
        var process = TestProcess.StartProject("Relay.Host", launcher, [.. defaults, .. args]);
        try
        {
            var listening = await process.WaitForLineAsync(l => l.StartsWith(ListeningLine, StringComparison.Ordinal), what: "the node's listening line");
            // The node prints its UDP line (if any) between these two.
            IPEndPoint? udp = null;
            if (args.Contains("--udp-port"))
                udp = IPEndPoint.Parse((await process.WaitForLineAsync(l => l.StartsWith(UdpLine, StringComparison.Ordinal), what: "the node's UDP line"))[UdpLine.Length..]);
            Uri? dashboard = null;
            if (args.Contains("--dashboard-port") && args[Array.IndexOf(args, "--dashboard-port") + 1] != "0")
                dashboard = new Uri((await process.WaitForLineAsync(l => l.StartsWith(DashboardLine, StringComparison.Ordinal), what: "the node's dashboard line"))[DashboardLine.Length..]);
            var member = await process.WaitForLineAsync(l => l.StartsWith(MemberLine, StringComparison.Ordinal), what: "the node's cluster address");
            var clusterPort = int.Parse(member[(member.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            return new NodeProcess(process, IPEndPoint.Parse(listening[ListeningLine.Length..]), clusterPort, udp, dashboard);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    /// <summary>Kills the node if it still runs.</summary>
    public ValueTask DisposeAsync() => Process.DisposeAsync();
}
