using System.Globalization;

namespace Relay.Bench;

/// <summary>
/// What one node process holds at one moment, as a soak compares it: memory, threads and sockets
/// from /proc, and what the node itself reports on its Prometheus endpoint. A figure the node's
/// build does not export is null (printed <c>n/a</c>).
/// </summary>
/// <param name="RssBytes">VmRSS of /proc/PID/status.</param>
/// <param name="Threads">Threads of /proc/PID/status.</param>
/// <param name="Sockets">Descriptors in /proc/PID/fd that are sockets.</param>
/// <param name="CloseWait">TCP sockets on the node's client port left in CLOSE-WAIT: the client closed, the node never did.</param>
/// <param name="TcpClients"><c>relay_connections{transport="tcp"}</c>: clients the node says it has.</param>
/// <param name="Shards"><c>relay_registry_shards</c>: registry shards on the node.</param>
/// <param name="IdBlocks"><c>relay_registry_id_blocks</c>: id blocks the lease table gives the node.</param>
/// <param name="HeapBytes">
/// The managed heap after the last GC, free space left out (<c>dotnet_gc_last_collection_heap_size_bytes</c>
/// less <c>…_fragmentation_size_bytes</c>, all generations; most of gen0's size is free space): shown
/// beside RSS, not judged, since it depends on which generation the last GC collected.
/// </param>
internal sealed record NodeSample(
    long RssBytes, int Threads, int Sockets, int CloseWait, long? TcpClients, long? Shards, long? IdBlocks, long? HeapBytes)
{
    /// <summary>VmRSS (in bytes) and Threads out of the text of /proc/PID/status.</summary>
    /// <exception cref="InvalidDataException">Either field is missing.</exception>
    public static (long RssBytes, int Threads) ParseStatus(string status)
    {
        long? rss = null;
        int? threads = null;
        foreach (var line in status.Split('\n'))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                rss = long.Parse(FirstWord(line["VmRSS:".Length..]), CultureInfo.InvariantCulture) * 1024;
            else if (line.StartsWith("Threads:", StringComparison.Ordinal))
                threads = int.Parse(FirstWord(line["Threads:".Length..]), CultureInfo.InvariantCulture);
        }

        if (rss is null || threads is null)
            throw new InvalidDataException("/proc/PID/status has no VmRSS or no Threads (is the process gone?)");
        return (rss.Value, threads.Value);
    }

    /// <summary>
    /// The value of metric <paramref name="name"/> in a Prometheus text exposition, summed over its
    /// series whose labels include each of <paramref name="labels"/> (as written, e.g.
    /// <c>transport="tcp"</c>); null when there is no such series (an older node, or a build
    /// without the metric).
    /// </summary>
    public static double? Metric(string exposition, string name, params string[] labels)
    {
        double? sum = null;
        foreach (var raw in exposition.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length <= name.Length || line[0] == '#' || !line.StartsWith(name, StringComparison.Ordinal))
                continue;
            var rest = line.AsSpan(name.Length);
            var labelText = ReadOnlySpan<char>.Empty;
            if (rest[0] == '{')
            {
                var close = rest.IndexOf('}');
                if (close < 0)
                    continue;
                labelText = rest[1..close];
                rest = rest[(close + 1)..];
            }
            else if (rest[0] != ' ')
            {
                // Another metric whose name begins with this one (relay_connections_accepted_total).
                continue;
            }

            var matches = true;
            foreach (var label in labels)
                matches &= labelText.IndexOf(label, StringComparison.Ordinal) >= 0;
            if (!matches)
                continue;
            var value = FirstWord(rest.ToString());
            if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
                sum = (sum ?? 0) + number;
        }

        return sum;
    }

    /// <summary>
    /// TCP sockets in CLOSE-WAIT whose local port is <paramref name="localPort"/>, out of the text of
    /// /proc/net/tcp (or tcp6): lines of <c>sl local_address rem_address st …</c>, addresses as HEXIP:HEXPORT.
    /// </summary>
    public static int CloseWaitOn(int localPort, string procNetTcp)
    {
        const string closeWait = "08";
        var count = 0;
        foreach (var line in procNetTcp.Split('\n').Skip(1))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 4)
                continue;
            var local = fields[1];
            if (int.TryParse(local.AsSpan(local.IndexOf(':') + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var port)
                && port == localPort && fields[3] == closeWait)
                count++;
        }

        return count;
    }

    private static string FirstWord(string text) =>
        text.Trim().Split(' ', '\t').FirstOrDefault(w => w.Length > 0) ?? "";
}
