using System.Collections.Concurrent;
using System.Diagnostics;

namespace Relay.Bench;

/// <summary>
/// One soak room and its M members, in lockstep rounds. Before round r, member r mod (M + 1) leaves
/// (nobody when that is M) and the one that was out joins again, each waiting for its OK; then
/// every member in the room says the round (<c>ROOM:</c>) and PINGs. Once every PONG is back, every
/// node has handed the round's messages to their members, so each member in the room must have
/// them all, once, and the one outside none (<see cref="RoomRoundCheck"/>; a few seconds are
/// allowed for the last bytes on their way). A round in which a member lost its connection (its
/// node left) is counted as disrupted and not judged; that member fails over and joins again
/// before the next.
/// </summary>
internal sealed class RoomGroup(string room, RoomMember[] members)
{
    private static readonly TimeSpan ArrivalWithin = TimeSpan.FromSeconds(5);

    private int _round;
    private bool _lastDisrupted;

    public string Room => room;

    public IReadOnlyList<RoomMember> Members => members;

    /// <summary>Rounds judged and found right.</summary>
    public int Passed { get; private set; }

    /// <summary>Rounds a lost connection disrupted (not judged).</summary>
    public int Disrupted { get; private set; }

    /// <summary>What was wrong, one line each.</summary>
    public ConcurrentQueue<string> Problems { get; } = new();

    public async Task ConnectAsync(CancellationToken cancellation)
    {
        foreach (var member in members)
            await member.ConnectAsync(cancellation).ConfigureAwait(false);
    }

    /// <summary>A round every <paramref name="interval"/> until <paramref name="stop"/>; a round once begun runs to its end (bounded by <paramref name="limit"/> and its timeouts).</summary>
    public async Task RunAsync(TimeSpan interval, CancellationToken stop, CancellationToken limit)
    {
        while (!stop.IsCancellationRequested && !limit.IsCancellationRequested)
        {
            var started = Stopwatch.GetTimestamp();
            await RoundAsync(_round++, limit).ConfigureAwait(false);
            var rest = interval - Stopwatch.GetElapsedTime(started);
            try
            {
                if (rest > TimeSpan.Zero)
                    await Task.Delay(rest, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task RoundAsync(int round, CancellationToken limit)
    {
        var disrupted = false;
        foreach (var member in members.Where(m => m.Lost || m.Stranded))
        {
            disrupted = true;
            if (await member.RecoverAsync(limit).ConfigureAwait(false))
                continue;
            if (member.Stranded)
                Problems.Enqueue($"{room} round {round}: member {member.Index} found no node to fail over to");
            else if (!member.Lost)
                Problems.Enqueue($"{room} round {round}: member {member.Index} got no OK:JOIN on its new node");
        }

        // What came after the last round was judged: late, unless that round was not judged.
        if (disrupted || _lastDisrupted)
        {
            foreach (var member in members)
                member.TakeReceived();
        }

        var outside = round % (members.Length + 1);
        foreach (var member in members.Where(m => !m.Lost && !m.Stranded))
        {
            var wanted = member.Index != outside;
            if (member.InRoom == wanted)
                continue;
            var done = wanted ? await member.JoinAsync(limit).ConfigureAwait(false) : await member.LeaveAsync(limit).ConfigureAwait(false);
            if (!done && !member.Lost)
                Problems.Enqueue($"{room} round {round}: member {member.Index} got no OK:{(wanted ? "JOIN" : "LEAVE")}");
        }

        var speakers = members.Where(m => m.InRoom && !m.Lost && !m.Stranded).ToArray();
        var said = new List<RoomMember>();
        foreach (var speaker in speakers)
        {
            if (await speaker.SayAsync(round, limit).ConfigureAwait(false))
                said.Add(speaker);
        }

        foreach (var speaker in said)
        {
            if (!await speaker.PongAsync(limit).ConfigureAwait(false) && !speaker.Lost)
                Problems.Enqueue($"{room} round {round}: member {speaker.Index} got no PONG");
        }

        var deadline = Stopwatch.GetTimestamp() + (long)(ArrivalWithin.TotalSeconds * Stopwatch.Frequency);
        while (speakers.Any(s => s.CountReceived(round) < speakers.Length - 1) && Stopwatch.GetTimestamp() < deadline && !members.Any(m => m.Lost))
            await Task.Delay(20, CancellationToken.None).ConfigureAwait(false);

        disrupted |= members.Any(m => m.Lost || m.Stranded) || said.Count < speakers.Length;
        var received = members.ToDictionary(m => m.Index, m => m.TakeReceived());
        _lastDisrupted = disrupted;
        if (disrupted)
        {
            Disrupted++;
            return;
        }

        var problems = RoomRoundCheck.Check(round, speakers.Select(s => s.Index).ToHashSet(), received);
        foreach (var problem in problems)
            Problems.Enqueue($"{room} {problem}");
        if (problems.Count == 0)
            Passed++;
    }
}
