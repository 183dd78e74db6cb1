using System.Diagnostics;
using System.Globalization;

namespace Relay.Bench;

/// <summary>
/// K idle clients: how fast they connect (YOUR_ID received; for a peer, the PONG after its
/// subscription: each is then reachable, as with RelayChat), and what each costs the node in
/// memory, read from /proc/PID/status of the node process (VmRSS before and after).
/// </summary>
internal sealed class ConnectionsWorkload(BenchOptions options, int count, int concurrency, int? nodePid)
{
    private readonly ClientWire _wire = ClientWire.For(options);

    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(2);

    public async Task<BenchResult> RunAsync()
    {
        using var limit = new CancellationTokenSource(options.Limit);
        var before = ResidentBytes();
        var connections = new BenchConnection[count];
        var next = -1;
        var stopwatch = Stopwatch.StartNew();
        var completed = true;
        try
        {
            await Task.WhenAll(Enumerable.Range(0, Math.Min(concurrency, count)).Select(async _ =>
            {
                for (var i = Interlocked.Increment(ref next); i < count; i = Interlocked.Increment(ref next))
                    connections[i] = await _wire.ConnectAsync(options.NodeFor(i), i, limit.Token).ConfigureAwait(false);
            })).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            completed = false;
        }

        var connectSeconds = stopwatch.Elapsed.TotalSeconds;
        var connected = connections.Count(c => c is not null);
        await Task.Delay(Settle).ConfigureAwait(false);
        var after = ResidentBytes();
        foreach (var connection in connections)
        {
            if (connection is not null)
                await connection.DisposeAsync().ConfigureAwait(false);
        }

        var result = new BenchResult("conns") { Completed = completed }
            .Add("server", options.ServerName)
            .Add("nodes", options.Nodes.Count)
            .Add("connections", connected)
            .Add("connect s", Math.Round(connectSeconds, 3))
            .Add("connects/s", Math.Round(connected / connectSeconds));
        if (before is not null && after is not null && connected > 0)
        {
            result.Add("node RSS before MiB", Math.Round(before.Value / 1048576.0, 1))
                .Add("node RSS after MiB", Math.Round(after.Value / 1048576.0, 1))
                .Add("bytes per connection", (after.Value - before.Value) / connected);
        }

        return result;
    }

    private long? ResidentBytes()
    {
        if (nodePid is null)
            return null;
        var line = File.ReadLines($"/proc/{nodePid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return line is null ? null : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }
}
