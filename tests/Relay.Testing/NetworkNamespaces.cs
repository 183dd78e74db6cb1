using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Relay.Testing;

/// <summary>
/// A network of a test's own, to cut nodes apart for real: one network namespace per node, whose
/// cluster link is a veth into a bridge (in a namespace of its own), and whose client link is a veth
/// pair to the test's namespace. <see cref="CutAsync"/> takes a node's cluster link down, so the
/// nodes lose each other while clients still reach every node: a partition between nodes, not
/// between clients and nodes. Nodes bind only addresses of these namespaces.
/// </summary>
/// <remarks>
/// Addresses are two /24s of 10.0.0.0/8 that no interface or route here uses: cluster addresses
/// 10.A.B.I, client links 10.A.(B+1).(4I+1) (this side) ↔ 10.A.(B+1).(4I+2) (the node's). Every
/// namespace and interface name carries this process's id, so runs in parallel do not collide and
/// the leftovers of a run that died are recognised and removed by the next one. Needs root and
/// iproute2's <c>ip</c>; <see cref="Unavailable"/> says why not.
/// </remarks>
public sealed partial class NetworkNamespaces : IAsyncDisposable
{
    // The cluster-side interface inside each node's namespace; the client-side one.
    private const string ClusterLink = "k0";
    private const string ClientLink = "c0";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(10);
    private static readonly string? IpCommand = new[] { "/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip" }.FirstOrDefault(File.Exists);

    // Several networks may exist at once in one process (tests run in parallel): each has a letter.
    private static int _created;

    private readonly List<string> _namespaces = new();
    private readonly List<string> _hostLinks = new();

    private NetworkNamespaces()
    {
    }

    /// <summary>Why namespaces cannot be made here (not root, no <c>ip</c>, a container without CAP_NET_ADMIN), or null when they can.</summary>
    public static string? Unavailable { get; } =
        !Environment.IsPrivilegedProcess ? "network namespaces need root (this process is not root)"
        : IpCommand is null ? "network namespaces need iproute2's ip (apt-get install -y iproute2)"
        : ProbeNamespace();

    /// <summary>Root is not enough inside some containers: make and remove one namespace to know.</summary>
    private static string? ProbeNamespace()
    {
        var name = $"relay-probe-{Environment.ProcessId}";
        static (int Code, string Output) Run(string arguments)
        {
            using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(IpCommand!, arguments)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            var output = process.StandardError.ReadToEnd() + process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(10_000))
            {
                process.Kill();
                return (-1, "timed out");
            }

            return (process.ExitCode, output.Trim());
        }

        var (code, output) = Run($"netns add {name}");
        if (code != 0)
            return $"network namespaces cannot be made here (ip netns add: {output})";
        Run($"netns delete {name}");
        return null;
    }

    /// <summary>The nodes' namespaces, in order.</summary>
    public IReadOnlyList<NamespaceHost> Hosts { get; private set; } = [];

    /// <summary>Makes <paramref name="count"/> connected namespaces (after removing a dead run's leftovers).</summary>
    public static async Task<NetworkNamespaces> CreateAsync(int count)
    {
        if (Unavailable is { } reason)
            throw new InvalidOperationException(reason);
        await RemoveLeftoversAsync();

        var network = new NetworkNamespaces();
        try
        {
            await network.BuildAsync(count);
            return network;
        }
        catch
        {
            await network.DisposeAsync();
            throw;
        }
    }

    /// <summary>Takes host <paramref name="index"/>'s cluster link down: it can no longer reach the other hosts, nor they it.</summary>
    public Task CutAsync(int index) => IpAsync("-n", Hosts[index].Namespace, "link", "set", ClusterLink, "down");

    /// <summary>Brings host <paramref name="index"/>'s cluster link up again.</summary>
    public Task HealAsync(int index) => IpAsync("-n", Hosts[index].Namespace, "link", "set", ClusterLink, "up");

    /// <summary>
    /// Kills whatever still runs in the namespaces (what the test started there), then deletes the
    /// namespaces and the links on this side. Never throws: a failure is written to stderr, and the
    /// next run removes what is left.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var name in _namespaces)
            await Cleanup($"kill the processes in {name}", () => KillProcessesInAsync(name));
        // Deleting one end of a veth pair deletes both; the namespaces' ends go with the namespaces,
        // but a namespace outlives its name while a closing socket still holds it.
        foreach (var link in _hostLinks)
            await Cleanup($"delete link {link}", () => IpAsync("link", "delete", link));
        foreach (var name in Enumerable.Reverse(_namespaces))
            await Cleanup($"delete namespace {name}", () => IpAsync("netns", "delete", name));
    }

    private async Task BuildAsync(int count)
    {
        var (a, b) = await FreeRangeAsync();
        var letter = (char)('a' + (Interlocked.Increment(ref _created) - 1) % 26);
        var prefix = $"relay{Environment.ProcessId}{letter}";
        var bridge = $"{prefix}-sw";
        await AddNamespaceAsync(bridge);
        await IpAsync("-n", bridge, "link", "add", "br0", "type", "bridge");
        await IpAsync("-n", bridge, "link", "set", "br0", "up");

        var hosts = new List<NamespaceHost>();
        for (var i = 1; i <= count; i++)
        {
            var name = $"{prefix}-n{i}";
            await AddNamespaceAsync(name);
            await IpAsync("-n", name, "link", "set", "lo", "up");

            // Cluster link: k0 in the node's namespace, its peer a port of the bridge.
            var port = $"p{i}";
            await IpAsync("-n", bridge, "link", "add", port, "type", "veth", "peer", "name", ClusterLink, "netns", name);
            await IpAsync("-n", bridge, "link", "set", port, "master", "br0");
            await IpAsync("-n", bridge, "link", "set", port, "up");
            var cluster = IPAddress.Parse($"10.{a}.{b}.{i}");
            await IpAsync("-n", name, "addr", "add", $"{cluster}/24", "dev", ClusterLink);
            await IpAsync("-n", name, "link", "set", ClusterLink, "up");

            // Client link: a point-to-point /30 between this namespace and the node's.
            var hostLink = $"rly{Environment.ProcessId}{letter}{i}";
            await IpAsync("link", "add", hostLink, "type", "veth", "peer", "name", ClientLink, "netns", name);
            _hostLinks.Add(hostLink);
            var near = IPAddress.Parse($"10.{a}.{b + 1}.{4 * i + 1}");
            var client = IPAddress.Parse($"10.{a}.{b + 1}.{4 * i + 2}");
            await IpAsync("addr", "add", $"{near}/30", "dev", hostLink);
            await IpAsync("link", "set", hostLink, "up");
            await IpAsync("-n", name, "addr", "add", $"{client}/30", "dev", ClientLink);
            await IpAsync("-n", name, "link", "set", ClientLink, "up");
            hosts.Add(new NamespaceHost(name, cluster, client, [IpCommand!, "netns", "exec", name]));
        }

        Hosts = hosts;
    }

    private async Task AddNamespaceAsync(string name)
    {
        await IpAsync("netns", "add", name);
        _namespaces.Add(name);
    }

    /// <summary>Two adjacent /24s (10.A.B.0, 10.A.B+1.0) that nothing here uses.</summary>
    private static async Task<(int A, int B)> FreeRangeAsync()
    {
        var used = await IpAsync("-4", "-o", "addr", "show") + await IpAsync("-4", "route", "show", "table", "all");
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var (a, b) = (Random.Shared.Next(16, 250), 2 * Random.Shared.Next(0, 127));
            if (!used.Contains($"10.{a}.{b}.", StringComparison.Ordinal) && !used.Contains($"10.{a}.{b + 1}.", StringComparison.Ordinal))
                return (a, b);
        }

        throw new InvalidOperationException("no free 10.x range for the test's network");
    }

    /// <summary>Namespaces and links of runs whose process is gone (killed before it could clean up).</summary>
    private static async Task RemoveLeftoversAsync()
    {
        foreach (var line in (await IpAsync("netns", "list")).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = line.Split(' ')[0];
            if (OurNamespace().Match(name) is { Success: true } match && !IsAlive(match.Groups[1].Value))
            {
                // Processes of a dead run still inside are left to whoever started them.
                if ((await IpAsync("netns", "pids", name)).Trim().Length == 0)
                    await Cleanup($"delete leftover namespace {name}", () => IpAsync("netns", "delete", name));
            }
        }

        foreach (var line in (await IpAsync("-o", "link", "show")).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = line.Split(':', 3)[1].Trim().Split('@')[0];
            if (OurLink().Match(name) is { Success: true } match && !IsAlive(match.Groups[1].Value))
                await Cleanup($"delete leftover link {name}", () => IpAsync("link", "delete", name));
        }
    }

    private static bool IsAlive(string pid) => Directory.Exists($"/proc/{pid}");

    private static async Task KillProcessesInAsync(string name)
    {
        var pids = (await IpAsync("netns", "pids", name)).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var pid in pids)
        {
            try
            {
                using var process = Process.GetProcessById(int.Parse(pid, CultureInfo.InvariantCulture));
                using var timeout = new CancellationTokenSource(CommandTimeout);
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (ArgumentException)
            {
                // Already gone.
            }
        }
    }

    private static async Task Cleanup(string what, Func<Task> step)
    {
        try
        {
            await step();
        }
        catch (Exception error) when (error is InvalidOperationException or OperationCanceledException or System.ComponentModel.Win32Exception)
        {
            await Console.Error.WriteLineAsync($"NetworkNamespaces: could not {what}: {error.Message}");
        }
    }

    /// <summary>Runs <c>ip args…</c>; returns its output, throws with its error output if it fails.</summary>
    private static async Task<string> IpAsync(params string[] args)
    {
        var start = new ProcessStartInfo(IpCommand!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(CommandTimeout);
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return process.ExitCode == 0
            ? await output
            : throw new InvalidOperationException($"ip {string.Join(' ', args)} failed ({process.ExitCode}): {(await error).Trim()}");
    }

    [GeneratedRegex(@"^relay(\d+)[a-z]-(sw|n\d+)$")]
    private static partial Regex OurNamespace();

    [GeneratedRegex(@"^rly(\d+)[a-z]\d+$")]
    private static partial Regex OurLink();
}

/// <summary>One node's namespace in a <see cref="NetworkNamespaces"/>.</summary>
/// <param name="Namespace">The namespace's name.</param>
/// <param name="ClusterAddress">The node's address on the cluster bridge (what <see cref="NetworkNamespaces.CutAsync"/> cuts).</param>
/// <param name="ClientAddress">The node's address on its client link, which the test's namespace reaches.</param>
/// <param name="Launcher">The command that runs a program inside the namespace (<c>ip netns exec &lt;name&gt;</c>; it execs, so the process id stays the program's).</param>
public sealed record NamespaceHost(string Namespace, IPAddress ClusterAddress, IPAddress ClientAddress, IReadOnlyList<string> Launcher);
