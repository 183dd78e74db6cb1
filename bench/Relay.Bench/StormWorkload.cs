using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Relay.Protocol;

namespace Relay.Bench;

/// <summary>
/// A reconnect storm: K clients on one node (the victim), which this tool then kills (SIGKILL, by
/// the process id it is given); every client reconnects to the other nodes the moment its connection
/// breaks, all at once, retrying another node after a refusal. Reports how long until every client
/// had a new id, then checks that the new ids are distinct and that each new connection relays a
/// message (clients paired up, one message each way).
/// </summary>
internal sealed class StormWorkload(BenchOptions options, int clients, int victim, int victimPid, int concurrency)
{
    private const int QuietBufferBytes = 512;
    // One connect: the node answers YOUR_ID within its register-timeout (10 s) or closes.
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan VerifyWithin = TimeSpan.FromSeconds(30);

    public async Task<BenchResult> RunAsync()
    {
        if (options.Nodes.Count < 2 || victim < 0 || victim >= options.Nodes.Count)
            throw new ArgumentException("--victim must be the index of one of at least two --nodes");
        if (clients < 2 || clients % 2 != 0)
            throw new ArgumentException("--clients must be an even number (they pair up to check the new connections)");
        RefuseUnlessRelayNode(victimPid);

        using var limit = new CancellationTokenSource(options.Limit);
        var victimNode = options.Nodes[victim];
        var survivors = options.Nodes.Where((_, i) => i != victim).ToArray();
        var before = new BenchConnection[clients];
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, Math.Min(concurrency, clients)).Select(async _ =>
        {
            for (var i = Interlocked.Increment(ref next); i < clients; i = Interlocked.Increment(ref next))
                before[i] = await BenchConnection.ConnectAsync(victimNode, limit.Token).ConfigureAwait(false);
        })).ConfigureAwait(false);
        Console.Error.WriteLine($"storm: {clients} clients on {victimNode}; killing its process {victimPid}");

        var clock = Stopwatch.StartNew();
        var clientsOf = Enumerable.Range(0, clients).Select(i => new StormClient(before[i], survivors, i)).ToArray();
        var storm = clientsOf.Select(c => c.ReconnectAsync(clock, limit.Token)).ToArray();
        // Let every read loop start before the kill.
        await Task.Delay(500).ConfigureAwait(false);
        var killedAt = clock.Elapsed;
        using (var process = Process.GetProcessById(victimPid))
            process.Kill();
        await Task.WhenAll(storm).ConfigureAwait(false);

        var reconnected = clientsOf.Where(c => c.After is not null).ToArray();
        var back = reconnected.Select(c => (c.BackAt - killedAt).TotalSeconds).Order().ToArray();
        var lost = clientsOf.Select(c => (c.LostAt - killedAt).TotalSeconds).ToArray();
        var newIds = reconnected.Select(c => c.After!.Id).ToHashSet();
        var oldIds = before.Select(c => c.Id).ToHashSet();
        var verified = reconnected.Length == clients ? await VerifyAsync(clientsOf, limit.Token).ConfigureAwait(false) : 0;
        foreach (var client in clientsOf)
            await client.DisposeAsync().ConfigureAwait(false);

        double At(double p) => back.Length == 0 ? double.NaN : Math.Round(back[Math.Min(back.Length - 1, (int)(p / 100 * back.Length))], 3);
        var problems = new List<string>();
        if (reconnected.Length < clients)
            problems.Add($"{clients - reconnected.Length} clients without a new id");
        if (newIds.Count < reconnected.Length || newIds.Overlaps(oldIds))
            problems.Add("ids given twice");
        if (verified < clients)
            problems.Add($"{clients - verified} new connections did not relay");
        return new BenchResult("storm") { Completed = problems.Count == 0 && !limit.IsCancellationRequested }
            .Add("clients", clients)
            .Add("survivors", survivors.Length)
            .Add("all disconnected s", Math.Round(lost.Max(), 3))
            .Add("first new id s", At(0))
            .Add("half new ids s", At(50))
            .Add("99% new ids s", At(99))
            .Add("all new ids s", back.Length == clients ? At(100) : double.NaN)
            .Add("connect attempts refused or timed out", clientsOf.Sum(c => c.Failures))
            .Add("distinct new ids", newIds.Count)
            .Add("relayed on new connections", verified)
            .Add("verdict", problems.Count == 0 ? "PASS" : "FAIL: " + string.Join("; ", problems));
    }

    /// <summary>Clients 2k and 2k+1 send each other one message on their new connections; how many arrived.</summary>
    private static async Task<int> VerifyAsync(StormClient[] clientsOf, CancellationToken cancellation)
    {
        using var within = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        within.CancelAfter(VerifyWithin);
        var sinks = clientsOf.Select(_ => new FirstMessage()).ToArray();
        var reading = clientsOf.Select((c, i) => ReadQuietlyAsync(c.After!, sinks[i], within.Token)).ToArray();
        for (var i = 0; i < clientsOf.Length; i++)
        {
            var partner = clientsOf[i ^ 1].After!;
            await clientsOf[i].After!.SendAsync(System.Text.Encoding.ASCII.GetBytes($"TO:{partner.Id}:after the storm\n"), within.Token).ConfigureAwait(false);
        }

        try
        {
            await Task.WhenAll(sinks.Select(s => s.Arrived.Task)).WaitAsync(within.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            // Counted below.
        }

        await within.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(reading).ConfigureAwait(false);
        return sinks.Count(s => s.Arrived.Task.IsCompleted);
    }

    private static async Task ReadQuietlyAsync(BenchConnection connection, FirstMessage sink, CancellationToken cancellation)
    {
        try
        {
            await connection.ReceiveAsync(sink, cancellation, QuietBufferBytes).ConfigureAwait(false);
        }
        catch (SocketException)
        {
            // Reset: its message is counted as not arrived.
        }
    }

    private static void RefuseUnlessRelayNode(int pid)
    {
        var commandLine = File.Exists($"/proc/{pid}/cmdline") ? File.ReadAllText($"/proc/{pid}/cmdline") : "";
        if (!commandLine.Contains("Relay.Host", StringComparison.Ordinal) && !commandLine.Contains("relay-host", StringComparison.Ordinal))
            throw new ArgumentException($"--victim-pid {pid} is not a Relay.Host process; this tool kills only nodes");
    }

    /// <summary>One client: waits for its node to die, then reconnects to a survivor, trying the next after a refusal.</summary>
    private sealed class StormClient(BenchConnection before, IPEndPoint[] survivors, int index) : IAsyncDisposable
    {
        public BenchConnection? After { get; private set; }

        public TimeSpan LostAt { get; private set; }

        public TimeSpan BackAt { get; private set; }

        public int Failures { get; private set; }

        public async Task ReconnectAsync(Stopwatch clock, CancellationToken cancellation)
        {
            try
            {
                await before.ReceiveAsync(new FirstMessage(), cancellation, QuietBufferBytes).ConfigureAwait(false);
            }
            catch (SocketException)
            {
                // Reset by the dying node: lost all the same.
            }

            LostAt = clock.Elapsed;
            await before.DisposeAsync().ConfigureAwait(false);
            for (var attempt = 0; !cancellation.IsCancellationRequested; attempt++)
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
                timeout.CancelAfter(ConnectTimeout);
                try
                {
                    After = await BenchConnection.ConnectAsync(survivors[(index + attempt) % survivors.Length], timeout.Token).ConfigureAwait(false);
                    BackAt = clock.Elapsed;
                    return;
                }
                catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
                {
                    // The run's --limit: this client is reported without a new id.
                    return;
                }
                catch (Exception error) when (error is IOException or SocketException or OperationCanceledException)
                {
                    Failures++;
                    await Task.Delay(Random.Shared.Next(50, 250), CancellationToken.None).ConfigureAwait(false);
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (After is not null)
                await After.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Completes at the first relayed message; ignores everything else.</summary>
    private sealed class FirstMessage : ILineSink
    {
        public TaskCompletionSource Arrived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void OnLine(ReadOnlySpan<byte> line)
        {
            if (line.StartsWith("FROM:"u8))
                Arrived.TrySetResult();
        }

        public void OnLineTooLong()
        {
        }
    }
}
