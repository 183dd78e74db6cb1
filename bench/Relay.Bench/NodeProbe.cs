using System.Net;

namespace Relay.Bench;

/// <summary>
/// Takes <see cref="NodeSample"/>s of one running node: /proc for its process, its dashboard's
/// <c>/metrics</c> for what the node says about itself. The process id changes when the node is
/// restarted (<see cref="Pid"/>); the ports do not.
/// </summary>
internal sealed class NodeProbe(int pid, IPEndPoint clientEndpoint, IPEndPoint dashboard)
{
    private static readonly TimeSpan ScrapeTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The node's current process.</summary>
    public int Pid { get; set; } = pid;

    /// <summary>Refuses a process id that is not a Relay.Host node: a wrong pid would give figures that look right.</summary>
    /// <exception cref="ArgumentException">It is not one.</exception>
    public static void RefuseUnlessRelayNode(int pid)
    {
        var commandLine = File.Exists($"/proc/{pid}/cmdline") ? File.ReadAllText($"/proc/{pid}/cmdline") : "";
        if (!commandLine.Contains("Relay.Host", StringComparison.Ordinal) && !commandLine.Contains("relay-host", StringComparison.Ordinal))
            throw new ArgumentException($"process {pid} is not a Relay.Host node");
    }

    public async Task<NodeSample> SampleAsync(CancellationToken cancellation)
    {
        RefuseUnlessRelayNode(Pid);
        // /proc first: the scrape's own HTTP connection must not be among the sockets counted.
        var (rss, threads) = NodeSample.ParseStatus(await File.ReadAllTextAsync($"/proc/{Pid}/status", cancellation).ConfigureAwait(false));
        var sockets = CountSockets();
        var closeWait = 0;
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            if (File.Exists(table))
                closeWait += NodeSample.CloseWaitOn(clientEndpoint.Port, await File.ReadAllTextAsync(table, cancellation).ConfigureAwait(false));
        }

        var metrics = await ScrapeAsync(cancellation).ConfigureAwait(false);
        long? Read(string name, params string[] labels) => NodeSample.Metric(metrics, name, labels) is { } value ? (long)value : null;
        return new NodeSample(rss, threads, sockets, closeWait,
            Read("relay_connections", "transport=\"tcp\""),
            Read("relay_registry_shards"),
            Read("relay_registry_id_blocks"),
            Read("dotnet_gc_last_collection_heap_size_bytes") - Read("dotnet_gc_last_collection_heap_fragmentation_size_bytes"));
    }

    /// <summary>The node's RSS now in MiB, for progress lines; "-" while it is not running.</summary>
    public string ResidentMib()
    {
        try
        {
            return GrowthLimits.Mib(NodeSample.ParseStatus(File.ReadAllText($"/proc/{Pid}/status")).RssBytes);
        }
        catch (Exception error) when (error is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            return "-";
        }
    }

    private int CountSockets()
    {
        var count = 0;
        foreach (var fd in Directory.GetFileSystemEntries($"/proc/{Pid}/fd"))
        {
            try
            {
                if (new FileInfo(fd).LinkTarget?.StartsWith("socket:", StringComparison.Ordinal) == true)
                    count++;
            }
            catch (IOException)
            {
                // Closed between the listing and the look: not open any more.
            }
        }

        return count;
    }

    private async Task<string> ScrapeAsync(CancellationToken cancellation)
    {
        using var http = new HttpClient { Timeout = ScrapeTimeout };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{dashboard}/metrics");
        // No keep-alive: a pooled connection would be one more socket in the next sample.
        request.Headers.ConnectionClose = true;
        using var response = await http.SendAsync(request, cancellation).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync(cancellation).ConfigureAwait(false);
    }
}
