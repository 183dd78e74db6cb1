using System.Diagnostics;
using Relay.Protocol;

namespace Relay.Bench;

/// <summary>
/// Open loop: clients in pairs send at a fixed total rate for a fixed time, whatever the replies
/// do, each message stamped with its send time. Reports the one-way latency (sender → node(s) →
/// receiver, both in this process, so one clock) and whether the node kept up with the rate.
/// Over UDP every message is one datagram; what has not arrived after the drain counts as lost.
/// </summary>
internal sealed class LatencyWorkload(BenchOptions options, int clients, int rate, TimeSpan duration, int payloadBytes)
{
    private readonly ClientWire _wire = ClientWire.For(options);

    private const int StampDigits = 19;
    private static readonly TimeSpan Drain = TimeSpan.FromSeconds(3);

    public async Task<BenchResult> RunAsync()
    {
        if (clients < 2 || clients % 2 != 0)
            throw new ArgumentException("--clients must be an even number of at least 2 (they pair up)");
        if (payloadBytes < StampDigits)
            throw new ArgumentException($"--payload must be at least {StampDigits} bytes (the timestamp)");

        using var limit = new CancellationTokenSource(options.Limit);
        var connections = await Task.WhenAll(Enumerable.Range(0, clients)
            .Select(i => _wire.ConnectAsync(options.NodeFor(i), i, limit.Token))).ConfigureAwait(false);
        try
        {
            await _wire.ReadyAsync(limit.Token).ConfigureAwait(false);
            var perSender = (double)rate / clients;
            var expectedEach = (int)Math.Ceiling(perSender * duration.TotalSeconds);
            var inbound = Enumerable.Range(0, clients).Select(_ => new Inbound(expectedEach, _wire.NewReader())).ToArray();
            using var receiving = CancellationTokenSource.CreateLinkedTokenSource(limit.Token);
            var receivers = connections.Select((c, i) => c.ReceiveAsync(inbound[i], receiving.Token)).ToArray();

            var started = Stopwatch.GetTimestamp();
            var sent = await SendAllAsync(connections, perSender, started, limit.Token).ConfigureAwait(false);
            var sendSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;

            var drainUntil = DateTime.UtcNow + Drain;
            while (inbound.Sum(i => i.Received) < sent && DateTime.UtcNow < drainUntil && !limit.IsCancellationRequested)
                await Task.Delay(10).ConfigureAwait(false);
            await receiving.CancelAsync().ConfigureAwait(false);

            var samples = inbound.SelectMany(i => i.Samples).ToArray();
            Array.Sort(samples);
            double Percentile(double p) => samples.Length == 0 ? double.NaN
                : Micros(samples[Math.Min(samples.Length - 1, (int)(p / 100 * samples.Length))]);
            var achieved = sent / sendSeconds;
            var lost = sent - samples.Length;
            return new BenchResult("latency")
            {
                Completed = !limit.IsCancellationRequested,
            }
                .Add("server", options.ServerName)
                .Add("protocol", options.Protocol)
                .Add("nodes", options.Nodes.Count)
                .Add("clients", clients)
                .Add("target msgs/s", rate)
                .Add("achieved msgs/s", Math.Round(achieved))
                .Add("seconds", duration.TotalSeconds)
                .Add("sent", sent)
                .Add("lost", lost)
                .Add("lost %", sent == 0 ? 0.0 : Math.Round(100.0 * lost / sent, 3))
                .Add("p50 us", Math.Round(Percentile(50), 1))
                .Add("p90 us", Math.Round(Percentile(90), 1))
                .Add("p99 us", Math.Round(Percentile(99), 1))
                .Add("p99.9 us", Math.Round(Percentile(99.9), 1))
                .Add("max us", samples.Length == 0 ? double.NaN : Math.Round(Micros(samples[^1]), 1))
                .Add("rate held", achieved >= 0.95 * rate && lost == 0 ? "yes" : "no");
        }
        finally
        {
            foreach (var connection in connections)
                await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static double Micros(long ticks) => ticks * 1e6 / Stopwatch.Frequency;

    /// <summary>
    /// One pacing loop for all senders, ticking every millisecond: everything due by now goes out
    /// (open loop: late or not), stamped as it is written. A timer, not a spin, so the load
    /// generator leaves the cores to the node.
    /// </summary>
    private async Task<long> SendAllAsync(BenchConnection[] connections, double perSecond, long started, CancellationToken cancellation)
    {
        // Ids differ in length, so each template has its own stamp offset. Over UDP each line of
        // a batch goes as its own datagram.
        var payload = BenchWire.Payload(payloadBytes, StampDigits);
        var stampOffsets = new int[connections.Length];
        var templates = connections.Select((_, i) =>
            _wire.MessageTemplate(connections[i ^ 1].Id, payload, out stampOffsets[i])).ToArray();

        var total = (int)Math.Ceiling(perSecond * duration.TotalSeconds);
        var sent = new int[connections.Length];
        var batch = new byte[templates.Max(t => t.Length) * 1024];
        using var ticker = new PeriodicTimer(TimeSpan.FromMilliseconds(1));
        while (sent.Any(count => count < total))
        {
            var periods = Stopwatch.GetElapsedTime(started).TotalSeconds * perSecond;
            for (var i = 0; i < connections.Length; i++)
            {
                // Sender i's k-th message is due at (k + i/senders) periods: the senders take turns
                // within each period, so the total rate is spread evenly. Without the offset every
                // sender came due in the same tick (100 senders at 100 msgs/s: a burst of 100 every
                // 10 ms), and the burst's queueing was measured as latency.
                var due = Math.Min(total, (int)Math.Floor(periods - (double)i / connections.Length) + 1);
                var lineLength = templates[i].Length;
                var stampOffset = stampOffsets[i];
                var count = Math.Min(due - sent[i], batch.Length / lineLength);
                if (count <= 0)
                    continue;

                var now = Stopwatch.GetTimestamp();
                for (var k = 0; k < count; k++)
                {
                    var slot = batch.AsSpan(k * lineLength, lineLength);
                    templates[i].CopyTo(slot);
                    now.TryFormat(slot.Slice(stampOffset, StampDigits), out _, "D19");
                }

                await connections[i].SendAsync(batch.AsMemory(0, count * lineLength), cancellation).ConfigureAwait(false);
                sent[i] += count;
            }

            await ticker.WaitForNextTickAsync(cancellation).ConfigureAwait(false);
        }

        return sent.Sum();
    }

    private sealed class Inbound(int expected, ILineReader reader) : ILineSink
    {
        private readonly List<long> _samples = new(expected);

        public long Received { get; private set; }

        public IReadOnlyList<long> Samples => _samples;

        public void OnLine(ReadOnlySpan<byte> line)
        {
            if (reader.Read(line, out var text) != ReceivedKind.From || text.Length < StampDigits
                || !long.TryParse(text[..StampDigits], out var stamp))
                return;
            _samples.Add(Stopwatch.GetTimestamp() - stamp);
            Received++;
        }

        public void OnLineTooLong()
        {
        }
    }
}
