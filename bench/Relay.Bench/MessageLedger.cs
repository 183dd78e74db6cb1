using System.Collections.Concurrent;

namespace Relay.Bench;

/// <summary>
/// Every message the failover workload sends, and what became of it: whether its recipient got it
/// (seen on the receiving client), and the receipt its sender got (<c>DELIVERED</c> or
/// <c>NOT_DELIVERED</c> with a cause), or none. Messages are numbered per sender.
/// </summary>
internal sealed class MessageLedger(int senders)
{
    private readonly ConcurrentDictionary<int, Entry>[] _sent =
        Enumerable.Range(0, senders).Select(_ => new ConcurrentDictionary<int, Entry>()).ToArray();

    /// <summary>Messages noted so far, all senders together.</summary>
    public long SentCount => _sent.Sum(s => (long)s.Count);

    /// <summary>Noted before the message is written: on the sender's connection number <paramref name="connection"/>.</summary>
    public void Sending(int sender, int seq, int connection) => _sent[sender][seq] = new Entry(connection);

    /// <summary>The write itself failed (the connection broke under it): the sender knows it did not go.</summary>
    public void NotSent(int sender, int seq) => _sent[sender][seq].Outcome = Outcome.NotSent;

    /// <summary>A <c>FROM:</c> carrying message <paramref name="seq"/> of <paramref name="sender"/> reached its recipient.</summary>
    public void Received(int sender, int seq)
    {
        if (_sent[sender].TryGetValue(seq, out var entry))
            Interlocked.Increment(ref entry.Received);
    }

    /// <summary>The sender got <c>DELIVERED</c> for it.</summary>
    public void Delivered(int sender, int seq) => Answer(sender, seq, Outcome.Delivered, null);

    /// <summary>The sender got <c>NOT_DELIVERED</c> with <paramref name="cause"/>.</summary>
    public void NotDelivered(int sender, int seq, string cause) => Answer(sender, seq, Outcome.NotDelivered, cause);

    /// <summary>Messages still waiting for their receipt on the connection each sender now has.</summary>
    public int Awaiting(Func<int, int> connectionOf) =>
        Enumerable.Range(0, _sent.Length).Sum(s => _sent[s].Values.Count(e => e.Outcome == Outcome.None && e.Connection == connectionOf(s)));

    /// <summary>What became of every message; <paramref name="connectionOf"/> gives each sender's last connection.</summary>
    public Tally Count(Func<int, int> connectionOf)
    {
        var tally = new Tally();
        for (var sender = 0; sender < _sent.Length; sender++)
        {
            foreach (var entry in _sent[sender].Values)
            {
                tally.Sent++;
                var received = entry.Received > 0;
                if (entry.Received > 1)
                    tally.Duplicated++;
                if (received)
                    tally.Received++;
                switch (entry.Outcome)
                {
                    case Outcome.NotSent:
                        tally.NotSent++;
                        break;
                    case Outcome.Delivered:
                        tally.DeliveredReceipts++;
                        if (!received)
                            tally.DeliveredButNotSeen++;
                        break;
                    case Outcome.NotDelivered:
                        tally.NotDelivered.AddOrUpdate(entry.Cause!, 1, (_, n) => n + 1);
                        if (received)
                            tally.NotDeliveredButSeen++;
                        break;
                    case Outcome.None when entry.Connection != connectionOf(sender):
                        // The sender's connection ended first (its node left): the receipt went with it.
                        tally.ConnectionClosedFirst++;
                        if (!received)
                            tally.ConnectionClosedFirstAndLost++;
                        break;
                    default:
                        if (!received)
                            tally.Unanswered++;
                        break;
                }
            }
        }

        return tally;
    }

    private void Answer(int sender, int seq, Outcome outcome, string? cause)
    {
        if (_sent[sender].TryGetValue(seq, out var entry))
        {
            entry.Cause = cause;
            entry.Outcome = outcome;
        }
    }

    private enum Outcome
    {
        None,
        NotSent,
        Delivered,
        NotDelivered,
    }

    private sealed class Entry(int connection)
    {
        public readonly int Connection = connection;
        public int Received;
        public volatile Outcome Outcome;
        public string? Cause;
    }

    /// <summary>The accounts at the end of a run.</summary>
    public sealed class Tally
    {
        public long Sent { get; set; }

        /// <summary>Seen by the recipient (at least once).</summary>
        public long Received { get; set; }

        public long Duplicated { get; set; }

        public long NotSent { get; set; }

        public long DeliveredReceipts { get; set; }

        public long DeliveredButNotSeen { get; set; }

        public ConcurrentDictionary<string, long> NotDelivered { get; } = new();

        public long NotDeliveredButSeen { get; set; }

        /// <summary>No receipt because the sender's connection ended first.</summary>
        public long ConnectionClosedFirst { get; set; }

        /// <summary>Of those, not seen by the recipient either: neither delivered nor answered.</summary>
        public long ConnectionClosedFirstAndLost { get; set; }

        /// <summary>No receipt on a connection that is still there, and not seen: lost without a word.</summary>
        public long Unanswered { get; set; }

        /// <summary>Adds these accounts to <paramref name="result"/>, under the names every report of them uses.</summary>
        public BenchResult AddTo(BenchResult result) => result
            .Add("sent", Sent)
            .Add("seen by recipient", Received)
            .Add("DELIVERED receipts", DeliveredReceipts)
            .Add("NOT_DELIVERED", NotDelivered.Values.Sum())
            .Add("NOT_DELIVERED causes", string.Join(' ', NotDelivered.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key}={c.Value}")))
            .Add("NOT_DELIVERED yet seen", NotDeliveredButSeen)
            .Add("no receipt, sender connection closed first", ConnectionClosedFirst)
            .Add("of those, not seen", ConnectionClosedFirstAndLost)
            .Add("write failed (connection broke)", NotSent)
            .Add("lost without an answer", Unanswered)
            .Add("DELIVERED but not seen", DeliveredButNotSeen)
            .Add("seen twice", Duplicated);

        /// <summary>What breaks a promise of docs/operations.md in these accounts; empty when none does.</summary>
        public IReadOnlyList<string> Problems()
        {
            var problems = new List<string>();
            if (Unanswered > 0)
                problems.Add($"{Unanswered} messages lost without an answer");
            if (NotDeliveredButSeen > 0)
                problems.Add($"{NotDeliveredButSeen} answered NOT_DELIVERED but seen");
            if (DeliveredButNotSeen > 0)
                problems.Add($"{DeliveredButNotSeen} confirmed DELIVERED but never seen");
            if (Duplicated > 0)
                problems.Add($"{Duplicated} seen twice");
            return problems;
        }
    }
}
