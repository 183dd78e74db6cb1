using System.Diagnostics;
using Relay.Client;

namespace Relay.Bench;

/// <summary>
/// Clients with every node in their list (as the console client's <c>--nodes</c>) chat with receipts
/// (<c>TOACK:</c>, each to the next client's current id) while something outside restarts the nodes
/// (scripts/faults.sh rolling-restart). Sending stops when <c>--until-file</c> appears (or after
/// <c>--seconds</c>); then the receipts are awaited and every message is accounted for: seen by its
/// recipient, answered <c>NOT_DELIVERED</c>, or in doubt because its sender's node said RECONNECT and
/// closed before answering it (the receipts a client still awaits then are exactly those; counted,
/// with how many of them were not seen). PASS needs every client connected and answering at the
/// end, and no message lost on a connection that stayed, none seen twice, none confirmed
/// <c>DELIVERED</c> but never seen and none answered <c>NOT_DELIVERED</c> but seen.
/// </summary>
internal sealed class FailoverWorkload(BenchOptions options, int clients, int rate, TimeSpan sendFor, string? untilFile)
{
    // A receipt comes within the node's receipt-timeout (15 s) or never.
    private static readonly TimeSpan ReceiptsWithin = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan PongWithin = TimeSpan.FromSeconds(10);

    public async Task<BenchResult> RunAsync()
    {
        if (clients < 2)
            throw new ArgumentException("--clients must be at least 2");
        using var limit = new CancellationTokenSource(options.Limit);
        var ledger = new MessageLedger(clients);
        var directory = new long[clients];
        var members = Enumerable.Range(0, clients).Select(i => new FailoverClient(i, NodesFor(i), ledger, directory)).ToArray();
        await ConnectAllAsync(members, limit.Token).ConfigureAwait(false);
        // faults.sh waits for this line before it restarts anything.
        Console.Error.WriteLine($"failover: {clients} clients connected");

        var receiving = members.Select(m => m.ReceiveAsync(limit.Token)).ToArray();
        using var stopSending = CancellationTokenSource.CreateLinkedTokenSource(limit.Token);
        var interval = TimeSpan.FromSeconds((double)clients / rate);
        var sending = members.Select(m => m.SendAsync(interval, clients, stopSending.Token)).ToArray();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < sendFor && !(untilFile is not null && File.Exists(untilFile)) && !limit.IsCancellationRequested)
            await Task.Delay(100).ConfigureAwait(false);
        var sentFor = clock.Elapsed;
        await stopSending.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(sending).ConfigureAwait(false);

        var receiptsWait = Stopwatch.StartNew();
        while (ledger.Awaiting(i => members[i].ConnectionNumber) > 0 && receiptsWait.Elapsed < ReceiptsWithin && !limit.IsCancellationRequested)
            await Task.Delay(100).ConfigureAwait(false);
        var answering = await Task.WhenAll(members.Select(m => m.AnswersAsync(PongWithin))).ConfigureAwait(false);
        foreach (var member in members)
            await member.CloseAsync().ConfigureAwait(false);
        await Task.WhenAll(receiving).ConfigureAwait(false);

        return Report(members, ledger.Count(i => members[i].ConnectionNumber), answering.Count(a => a), sentFor, limit.IsCancellationRequested);
    }

    private async Task ConnectAllAsync(FailoverClient[] members, CancellationToken cancellation)
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 50).Select(async _ =>
        {
            for (var i = Interlocked.Increment(ref next); i < members.Length; i = Interlocked.Increment(ref next))
                await members[i].ConnectAsync(cancellation).ConfigureAwait(false);
        })).ConfigureAwait(false);
    }

    /// <summary>Every node, starting with client <paramref name="index"/>'s own share, so the clients start spread over them.</summary>
    private NodeList NodesFor(int index)
    {
        var count = options.Nodes.Count;
        return new NodeList(Enumerable.Range(0, count)
            .Select(k => options.Nodes[(index + k) % count])
            .Select(node => (node.Address.ToString(), node.Port)).ToList());
    }

    private BenchResult Report(FailoverClient[] members, MessageLedger.Tally tally, int answering, TimeSpan sentFor, bool timedOut)
    {
        var failovers = members.SelectMany(m => m.Failovers).Order().ToArray();
        var stranded = members.Count(m => m.Stranded);
        var problems = new List<string>();
        if (stranded > 0)
            problems.Add($"{stranded} clients stranded");
        if (answering < members.Length)
            problems.Add($"{members.Length - answering} clients not answering at the end");
        problems.AddRange(tally.Problems());
        if (timedOut)
            problems.Add("stopped at --limit");

        double Ms(double p) => failovers.Length == 0 ? 0 : Math.Round(failovers[Math.Min(failovers.Length - 1, (int)(p / 100 * failovers.Length))].TotalMilliseconds);
        return tally.AddTo(new BenchResult("failover") { Completed = problems.Count == 0 }
                .Add("nodes", options.Nodes.Count)
                .Add("clients", members.Length)
                .Add("seconds sending", Math.Round(sentFor.TotalSeconds, 1)))
            .Add("RECONNECT received", members.Sum(m => m.ReconnectsAsked))
            .Add("other errors", members.Sum(m => m.OtherErrors))
            .Add("failovers", failovers.Length)
            .Add("failover p50 ms", Ms(50))
            .Add("failover max ms", Ms(100))
            .Add("stranded", stranded)
            .Add("answering at the end", answering)
            .Add("verdict", problems.Count == 0 ? "PASS" : "FAIL: " + string.Join("; ", problems));
    }
}
