using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Relay.Client;

namespace Relay.Bench;

/// <summary>
/// A bounded soak of a running cluster (scripts/soak.sh): for <see cref="SoakPlan.Duration"/>,
/// long-lived clients chat one-to-one with receipts (<see cref="FailoverClient"/>, every message
/// accounted for in a <see cref="MessageLedger"/>), rooms run lockstep rounds with members leaving
/// and joining (<see cref="RoomGroup"/>), and short-lived clients come and go in every way a client
/// goes (<see cref="ChurnCycle"/>). Midway it asks for a node restart and goes on while it happens.
/// Each node is sampled (<see cref="NodeProbe"/>) with traffic stopped and settled: after the
/// warm-up, a restarted node again after its own warm-up, and at the end; the end must not have
/// grown beyond <see cref="GrowthLimits"/>.
/// </summary>
/// <remarks>
/// The restart is the script's: the tool prints <c>soak: restart a node now</c> on stderr and
/// carries on; the script stops a node (SIGTERM), starts it again and writes
/// <c>&lt;node number&gt; &lt;new pid&gt;</c> to <see cref="RestartedFile"/> in the control directory
/// once it serves. The restarted node's long-lived clients, which failed over to the others, then
/// come back to it (with traffic stopped), and all of them stay connected through the end sample,
/// so each node is compared with the same clients.
/// </remarks>
internal sealed class SoakWorkload(BenchOptions options, SoakPlan plan)
{
    /// <summary>The file the script writes when the restart it was asked for is done.</summary>
    public const string RestartedFile = "restarted";

    private const int MaxChurnInFlight = 16;
    // A receipt comes within the node's receipt-timeout (15 s) or never.
    private static readonly TimeSpan ReceiptsWithin = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan RestartWithin = TimeSpan.FromSeconds(180);
    private static readonly TimeSpan ProgressEvery = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan PongWithin = TimeSpan.FromSeconds(10);

    private readonly Stopwatch _clock = new();
    private readonly ConcurrentQueue<string> _churnProblems = new();
    private readonly long[] _churnByLeave = new long[3];
    private MessageLedger _ledger = null!;
    private FailoverClient[] _steady = [];
    private RoomGroup[] _groups = [];
    private NodeProbe[] _probes = [];
    private int _churnNumber;
    private long _churnCycles;
    private long _churnConnected;
    private int _movedHome;
    private long _churnInterrupted;
    private long _churnRefused;
    private long _churnSkipped;

    public async Task<BenchResult> RunAsync()
    {
        if (plan.Pids.Count != options.Nodes.Count || plan.Dashboards.Count != options.Nodes.Count)
            throw new ArgumentException("--pids and --dashboards need one entry per node of --nodes, in the same order");
        if (plan.Clients < 2 || plan.Rate < 1 || plan.Rooms < 0 || plan.RoomMembers is < 2 and not 0 || plan.ChurnRate < 0)
            throw new ArgumentException("--clients must be at least 2, --rate at least 1, rooms need at least 2 members, and --churn-rate may not be negative");
        foreach (var pid in plan.Pids)
            NodeProbe.RefuseUnlessRelayNode(pid);
        _probes = options.Nodes.Select((node, i) => new NodeProbe(plan.Pids[i], node, plan.Dashboards[i])).ToArray();
        File.Delete(Path.Combine(plan.ControlDirectory, RestartedFile));

        using var limit = new CancellationTokenSource(options.Limit);
        _ledger = new MessageLedger(plan.Clients);
        var directory = new long[plan.Clients];
        _steady = Enumerable.Range(0, plan.Clients).Select(i => new FailoverClient(i, NodesFor(i), _ledger, directory)).ToArray();
        _groups = Enumerable.Range(0, plan.Rooms)
            .Select(r => new RoomGroup($"soak-{r}", Enumerable.Range(0, plan.RoomMembers)
                .Select(m => new RoomMember(m, $"soak-{r}", NodesFor(r * plan.RoomMembers + m))).ToArray()))
            .ToArray();
        await ConnectAllAsync(limit.Token).ConfigureAwait(false);
        var receiving = _steady.Select(m => m.ReceiveAsync(limit.Token)).ToArray();
        Console.Error.WriteLine($"soak: {plan.Clients} chatting clients and {plan.Rooms} rooms of {plan.RoomMembers} connected; traffic for {plan.Duration.TotalSeconds:0} s");

        _clock.Start();
        var problems = new List<string>();
        using var progress = ReportProgress(limit.Token);
        var traffic = StartTraffic(limit.Token);
        await WaitUntilAsync(() => _clock.Elapsed >= plan.Warmup, limit.Token).ConfigureAwait(false);
        await QuiesceAsync(traffic, limit.Token).ConfigureAwait(false);
        var baseline = new Sampled[_probes.Length];
        for (var i = 0; i < _probes.Length; i++)
            baseline[i] = await SampleAsync(i, "start", limit.Token).ConfigureAwait(false);
        traffic = StartTraffic(limit.Token);

        int? restarted = null;
        if (plan.RestartAt is { } restartAt && restartAt < plan.Duration)
        {
            await WaitUntilAsync(() => _clock.Elapsed >= restartAt, limit.Token).ConfigureAwait(false);
            var cued = _clock.Elapsed;
            var answer = Path.Combine(plan.ControlDirectory, RestartedFile);
            Console.Error.WriteLine($"soak: restart a node now ({_clock.Elapsed.TotalSeconds:0} s; write '<node number> <pid>' to {answer} when it serves again)");
            await WaitUntilAsync(() => File.Exists(answer) || _clock.Elapsed - cued >= RestartWithin, limit.Token).ConfigureAwait(false);
            if (TryReadRestarted(answer, out var node, out var pid))
            {
                restarted = node;
                _probes[node].Pid = pid;
                Console.Error.WriteLine($"soak: node {node + 1} restarted (pid {pid}) {(_clock.Elapsed - cued).TotalSeconds:0} s after the cue");
                // Its clients failed over to the others; with traffic stopped, so that no receipt is
                // in doubt, they come back, and it carries its share again.
                await QuiesceAsync(traffic, limit.Token).ConfigureAwait(false);
                problems.AddRange(await MoveHomeAsync(node, limit.Token).ConfigureAwait(false));
                traffic = StartTraffic(limit.Token);
                var back = _clock.Elapsed;
                Console.Error.WriteLine($"soak: its clients are back; its warm-up until {(back + plan.Warmup).TotalSeconds:0} s");
                await WaitUntilAsync(() => _clock.Elapsed >= back + plan.Warmup, limit.Token).ConfigureAwait(false);
                await QuiesceAsync(traffic, limit.Token).ConfigureAwait(false);
                baseline[node] = await SampleAsync(node, "after its restart", limit.Token).ConfigureAwait(false);
                traffic = StartTraffic(limit.Token);
            }
            else
            {
                problems.Add($"no node restart reported within {RestartWithin.TotalSeconds:0} s of the cue");
            }
        }

        await WaitUntilAsync(() => _clock.Elapsed >= plan.Duration, limit.Token).ConfigureAwait(false);
        var trafficSeconds = _clock.Elapsed.TotalSeconds;
        await QuiesceAsync(traffic, limit.Token).ConfigureAwait(false);
        var end = new Sampled[_probes.Length];
        for (var i = 0; i < _probes.Length; i++)
            end[i] = await SampleAsync(i, "end", limit.Token).ConfigureAwait(false);

        using var answerWithin = CancellationTokenSource.CreateLinkedTokenSource(limit.Token);
        answerWithin.CancelAfter(PongWithin);
        var steadyAnswering = await Task.WhenAll(_steady.Select(m => m.AnswersAsync(PongWithin))).ConfigureAwait(false);
        var membersAnswering = await Task.WhenAll(_groups.SelectMany(g => g.Members).Select(m => m.AnswersAsync(answerWithin.Token))).ConfigureAwait(false);
        foreach (var member in _steady)
            await member.CloseAsync().ConfigureAwait(false);
        foreach (var member in _groups.SelectMany(g => g.Members))
            await member.CloseAsync().ConfigureAwait(false);
        await Task.WhenAll(receiving).ConfigureAwait(false);

        problems.AddRange(Judge(steadyAnswering.Count(a => a), membersAnswering.Count(a => a)));
        for (var i = 0; i < _probes.Length; i++)
            problems.AddRange(GrowthLimits.Check($"node {i + 1}", baseline[i].Sample, end[i].Sample, baseline[i].Clients, end[i].Clients));
        if (limit.IsCancellationRequested)
            problems.Add("stopped at --limit");
        Console.Error.Write(Table(baseline, end));
        var result = Report(baseline, end, restarted, trafficSeconds, problems);
        // The JSON line escapes much of this; scripts/soak.sh shows this line as it is.
        Console.Error.WriteLine($"soak: verdict: {result["verdict"]}");
        return result;
    }

    /// <summary>
    /// Reads what the script wrote when its restart was done: the node's number (1-based, as the
    /// script counts) and its new process id.
    /// </summary>
    internal static bool TryParseRestarted(string text, int nodes, out int node, out int pid)
    {
        node = pid = 0;
        var words = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length != 2 || !int.TryParse(words[0], CultureInfo.InvariantCulture, out var number) || number < 1 || number > nodes
            || !int.TryParse(words[1], CultureInfo.InvariantCulture, out pid) || pid < 1)
            return false;
        node = number - 1;
        return true;
    }

    private bool TryReadRestarted(string path, out int node, out int pid)
    {
        node = pid = 0;
        return File.Exists(path) && TryParseRestarted(File.ReadAllText(path), _probes.Length, out node, out pid);
    }

    /// <summary>Moves the long-lived clients whose own node is <paramref name="node"/> back to it; what failed.</summary>
    private async Task<IReadOnlyList<string>> MoveHomeAsync(int node, CancellationToken cancellation)
    {
        var count = options.Nodes.Count;
        var steady = Enumerable.Range(0, _steady.Length).Where(i => i % count == node).ToArray();
        await Task.WhenAll(steady.Select(i => _steady[i].MoveAsync(NodesFor(i)))).ConfigureAwait(false);
        var members = _groups.SelectMany((g, r) => g.Members.Select(m => (Member: m, Home: r * plan.RoomMembers + m.Index)))
            .Where(m => m.Home % count == node).ToArray();
        var failed = new List<string>();
        var endpoint = options.Nodes[node].ToString();
        _movedHome = steady.Length + members.Length;
        foreach (var (member, home) in members)
        {
            if (!await member.MoveAsync(NodesFor(home), cancellation).ConfigureAwait(false) || member.Node != endpoint)
                failed.Add($"room member {home} did not get back to node {node + 1} and into its room");
        }

        if (steady.Count(i => _steady[i].Node != endpoint) is var stuck and > 0)
            failed.Add($"{stuck} chatting clients did not get back to node {node + 1}");
        return failed;
    }

    private async Task ConnectAllAsync(CancellationToken cancellation)
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
        {
            for (var i = Interlocked.Increment(ref next); i < _steady.Length; i = Interlocked.Increment(ref next))
                await _steady[i].ConnectAsync(cancellation).ConfigureAwait(false);
        })).ConfigureAwait(false);
        await Task.WhenAll(_groups.Select(g => g.ConnectAsync(cancellation))).ConfigureAwait(false);
    }

    /// <summary>Every node, starting with the <paramref name="index"/>-th's own share, so that clients start spread over them.</summary>
    private NodeList NodesFor(int index)
    {
        var count = options.Nodes.Count;
        return new NodeList(Enumerable.Range(0, count)
            .Select(k => options.Nodes[(index + k) % count])
            .Select(node => (node.Address.ToString(), node.Port)).ToList());
    }

    private Traffic StartTraffic(CancellationToken limit)
    {
        var stop = CancellationTokenSource.CreateLinkedTokenSource(limit);
        var interval = TimeSpan.FromSeconds((double)plan.Clients / plan.Rate);
        var running = _steady.Select(m => m.SendAsync(interval, plan.Clients, stop.Token))
            .Concat(_groups.Select(g => g.RunAsync(plan.RoundInterval, stop.Token, limit)))
            .Append(ChurnAsync(stop.Token, limit))
            .ToArray();
        return new Traffic(stop, Task.WhenAll(running));
    }

    /// <summary>Stops the traffic, waits for every receipt still due, then lets the cluster settle.</summary>
    private async Task QuiesceAsync(Traffic traffic, CancellationToken limit)
    {
        await traffic.Stop.CancelAsync().ConfigureAwait(false);
        await traffic.Running.ConfigureAwait(false);
        traffic.Stop.Dispose();
        var waited = Stopwatch.StartNew();
        // A DELIVERED receipt can reach its sender before the recipient (in this process too) has
        // read the line: wait for the recipients as well as for the receipts.
        while ((_ledger.Awaiting(i => _steady[i].ConnectionNumber) > 0 || _ledger.Count(i => _steady[i].ConnectionNumber).DeliveredButNotSeen > 0)
            && waited.Elapsed < ReceiptsWithin && !limit.IsCancellationRequested)
            await Task.Delay(100, CancellationToken.None).ConfigureAwait(false);
        try
        {
            await Task.Delay(plan.Settle, limit).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The run's --limit: reported as such.
        }
    }

    private async Task ChurnAsync(CancellationToken stop, CancellationToken limit)
    {
        if (plan.ChurnRate <= 0)
            return;
        var running = new List<Task>();
        var interval = (long)(Stopwatch.Frequency / plan.ChurnRate);
        var next = Stopwatch.GetTimestamp();
        while (!stop.IsCancellationRequested)
        {
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), next);
            try
            {
                if (wait > TimeSpan.Zero)
                    await Task.Delay(wait, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            next += interval;
            running.RemoveAll(t => t.IsCompleted);
            // Bounded: a node that answers slowly slows the churn rather than piling up clients.
            if (running.Count >= MaxChurnInFlight)
            {
                Interlocked.Increment(ref _churnSkipped);
                continue;
            }

            running.Add(CycleAsync(_churnNumber++, limit));
        }

        await Task.WhenAll(running).ConfigureAwait(false);
    }

    private async Task CycleAsync(int number, CancellationToken limit)
    {
        var outcome = await ChurnCycle.RunAsync(number, options.Nodes, limit).ConfigureAwait(false);
        Interlocked.Increment(ref _churnCycles);
        if (outcome.Connected)
            Interlocked.Increment(ref _churnConnected);
        Interlocked.Increment(ref _churnByLeave[(int)outcome.How]);
        Interlocked.Add(ref _churnRefused, outcome.RefusedAttempts);
        if (outcome.Interrupted)
            Interlocked.Increment(ref _churnInterrupted);
        if (outcome.Problem is { } problem)
            _churnProblems.Enqueue(problem);
    }

    private async Task<Sampled> SampleAsync(int node, string label, CancellationToken cancellation)
    {
        var endpoint = options.Nodes[node].ToString();
        var clients = _steady.Count(m => m.Node == endpoint)
            + _groups.SelectMany(g => g.Members).Count(m => !m.Lost && !m.Stranded && m.Node == endpoint);
        var sample = await _probes[node].SampleAsync(cancellation).ConfigureAwait(false);
        Console.Error.WriteLine($"soak: node {node + 1} {label} at {_clock.Elapsed.TotalSeconds:0} s: {Describe(sample, clients)}");
        return new Sampled(label, sample, clients);
    }

    private static string Describe(NodeSample s, int clients) =>
        $"RSS {GrowthLimits.Mib(s.RssBytes)} MiB (heap {Mib(s.HeapBytes)}), {s.Threads} threads, {s.Sockets} sockets for {clients} clients " +
        $"(node says {Value(s.TcpClients)}), {s.CloseWait} CLOSE-WAIT, shards {Value(s.Shards)}, id blocks {Value(s.IdBlocks)}";

    private static string Value(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "n/a";

    private static string Mib(long? bytes) => bytes is { } b ? GrowthLimits.Mib(b) : "n/a";

    private IEnumerable<string> Judge(int steadyAnswering, int membersAnswering)
    {
        var tally = _ledger.Count(i => _steady[i].ConnectionNumber);
        foreach (var problem in tally.Problems())
            yield return problem;
        var stranded = _steady.Count(m => m.Stranded);
        if (stranded > 0)
            yield return $"{stranded} chatting clients stranded";
        if (steadyAnswering < _steady.Length)
            yield return $"{_steady.Length - steadyAnswering} chatting clients not answering at the end";
        var otherErrors = _steady.Sum(m => m.OtherErrors);
        if (otherErrors > 0)
            yield return $"{otherErrors} error lines to chatting clients that were not receipts";
        var lostSilently = _steady.Sum(m => m.Failovers.Count) + stranded - _steady.Sum(m => m.ReconnectsAsked)
            + _groups.SelectMany(g => g.Members).Sum(m => m.LostWithoutReconnect);
        if (lostSilently > 0)
            yield return $"{lostSilently} long-lived connections ended without a RECONNECT";

        var members = _groups.SelectMany(g => g.Members).ToArray();
        if (membersAnswering < members.Length)
            yield return $"{members.Length - membersAnswering} room members not answering at the end";
        var unexpected = members.SelectMany(m => m.Unexpected).ToArray();
        if (unexpected.Length > 0)
            yield return $"{unexpected.Length} unexpected lines to room members (first: {unexpected[0]})";
        var roomProblems = _groups.SelectMany(g => g.Problems).ToArray();
        if (roomProblems.Length > 0)
            yield return $"{roomProblems.Length} room round problems (first: {string.Join("; ", roomProblems.Take(3))})";
        var churnProblems = _churnProblems.ToArray();
        if (churnProblems.Length > 0)
            yield return $"{churnProblems.Length} churn cycles went wrong (first: {string.Join("; ", churnProblems.Take(3))})";
    }

    private IDisposable ReportProgress(CancellationToken cancellation)
    {
        var timer = new Timer(_ =>
        {
            var problems = _churnProblems.Count + _groups.Sum(g => g.Problems.Count + g.Members.Sum(m => m.Unexpected.Count)) + _steady.Sum(m => m.OtherErrors);
            // RSS as it goes, to see whether growth levels off; the samples are what is judged.
            var rss = string.Join('/', _probes.Select(p => p.ResidentMib()));
            Console.Error.WriteLine(
                $"soak: {_clock.Elapsed.TotalSeconds:0} s: {_ledger.SentCount:#,0} messages, {Interlocked.Read(ref _churnCycles):#,0} churn cycles, " +
                $"{_groups.Sum(g => g.Passed + g.Disrupted):#,0} room rounds; {problems} problems so far; RSS {rss} MiB");
        }, null, ProgressEvery, ProgressEvery);
        cancellation.Register(() => timer.Dispose());
        return timer;
    }

    private static async Task WaitUntilAsync(Func<bool> condition, CancellationToken limit)
    {
        try
        {
            while (!condition())
                await Task.Delay(100, limit).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The run's --limit: what follows is short and reports it.
        }
    }

    private static string Table(Sampled[] baseline, Sampled[] end)
    {
        var table = new StringBuilder();
        table.AppendLine("node  sample              RSS MiB  heap MiB  threads  sockets  clients  CLOSE-WAIT  shards  id blocks");
        for (var i = 0; i < end.Length; i++)
        {
            foreach (var sampled in new[] { baseline[i], end[i] })
            {
                var s = sampled.Sample;
                table.AppendLine(CultureInfo.InvariantCulture,
                    $"{i + 1,-4}  {sampled.Label,-18}  {GrowthLimits.Mib(s.RssBytes),7}  {Mib(s.HeapBytes),8}  {s.Threads,7}  {s.Sockets,7}  {sampled.Clients,7}  {s.CloseWait,10}  {Value(s.Shards),6}  {Value(s.IdBlocks),9}");
            }
        }

        return table.ToString();
    }

    private BenchResult Report(Sampled[] baseline, Sampled[] end, int? restarted, double trafficSeconds, List<string> problems)
    {
        var tally = _ledger.Count(i => _steady[i].ConnectionNumber);
        var members = _groups.SelectMany(g => g.Members).ToArray();
        var result = tally.AddTo(new BenchResult("soak") { Completed = problems.Count == 0 }
                .Add("nodes", options.Nodes.Count)
                .Add("seconds of traffic", Math.Round(trafficSeconds))
                .Add("chatting clients", plan.Clients))
            .Add("failovers", _steady.Sum(m => m.Failovers.Count) + members.Sum(m => m.Failovers))
            .Add("room rounds", _groups.Sum(g => g.Passed + g.Disrupted))
            .Add("room rounds right", _groups.Sum(g => g.Passed))
            .Add("room rounds disrupted by the restart", _groups.Sum(g => g.Disrupted))
            .Add("churn cycles", Interlocked.Read(ref _churnCycles))
            .Add("churn by QUIT/FIN/RST", string.Join('/', _churnByLeave.Select(n => n.ToString(CultureInfo.InvariantCulture))))
            .Add("churn cut short by RECONNECT", Interlocked.Read(ref _churnInterrupted))
            .Add("churn connects refused", Interlocked.Read(ref _churnRefused))
            .Add("churn ticks skipped (16 in flight)", Interlocked.Read(ref _churnSkipped))
            .Add("restarted node", restarted is { } r ? r + 1 : 0)
            // Every connection that got an id; the node's id blocks (100 ids each by default) follow from it.
            .Add("ids handed out", plan.Clients + members.Length + Interlocked.Read(ref _churnConnected)
                + _steady.Sum(m => m.Failovers.Count) + members.Sum(m => m.Failovers) + _movedHome);
        for (var i = 0; i < end.Length; i++)
        {
            var (s, e) = (baseline[i].Sample, end[i].Sample);
            result.Add($"node {i + 1}",
                $"RSS {GrowthLimits.Mib(s.RssBytes)}->{GrowthLimits.Mib(e.RssBytes)} MiB, threads {s.Threads}->{e.Threads}, " +
                $"sockets {s.Sockets}->{e.Sockets} for {baseline[i].Clients}->{end[i].Clients} clients, shards {Value(s.Shards)}->{Value(e.Shards)}, " +
                $"id blocks {Value(s.IdBlocks)}->{Value(e.IdBlocks)}");
        }

        return result.Add("verdict", problems.Count == 0 ? "PASS" : "FAIL: " + string.Join("; ", problems));
    }

    private sealed record Traffic(CancellationTokenSource Stop, Task Running);

    private sealed record Sampled(string Label, NodeSample Sample, int Clients);
}
