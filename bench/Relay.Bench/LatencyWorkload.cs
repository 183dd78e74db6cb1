using System.Buffers;
using System.Diagnostics;
using Relay.Protocol;

namespace Relay.Bench;

/// <summary>
/// Open loop: clients in pairs send at a fixed total rate for a fixed time, whatever the replies
/// do, each message stamped with its send time. Reports the one-way latency (sender → node(s) →
/// receiver, both in this process, so one clock) and whether the node kept up with the rate.
/// </summary>
internal sealed class LatencyWorkload(BenchOptions options, int clients, int rate, TimeSpan duration, int payloadBytes)
{
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
            .Select(i => BenchConnection.ConnectAsync(options.NodeFor(i), limit.Token))).ConfigureAwait(false);
        try
        {
            var perSender = (double)rate / clients;
            var expectedEach = (int)Math.Ceiling(perSender * duration.TotalSeconds);
            var inbound = Enumerable.Range(0, clients).Select(_ => new Inbound(expectedEach)).ToArray();
            using var receiving = CancellationTokenSource.CreateLinkedTokenSource(limit.Token);
            var receivers = connections.Select((c, i) => c.ReceiveAsync(inbound[i], receiving.Token)).ToArray();

            var started = Stopwatch.GetTimestamp();
            var senders = connections.Select((c, i) =>
                SendAsync(c, connections[i ^ 1].Id, perSender, started, limit.Token)).ToArray();
            var sent = (await Task.WhenAll(senders).ConfigureAwait(false)).Sum();
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
                .Add("nodes", options.Nodes.Count)
                .Add("clients", clients)
                .Add("target msgs/s", rate)
                .Add("achieved msgs/s", Math.Round(achieved))
                .Add("seconds", duration.TotalSeconds)
                .Add("sent", sent)
                .Add("lost", lost)
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

    private async Task<int> SendAsync(BenchConnection connection, long partnerId, double perSecond, long started, CancellationToken cancellation)
    {
        var line = new ArrayBufferWriter<byte>(payloadBytes + 32);
        ClientLines.To(line, partnerId, new byte[payloadBytes]);
        var template = line.WrittenMemory.ToArray();
        var stampOffset = template.Length - 1 - payloadBytes;
        template.AsSpan(stampOffset + StampDigits, payloadBytes - StampDigits).Fill((byte)'x');
        var batch = new byte[template.Length * 64];

        var sent = 0;
        var total = (int)Math.Ceiling(perSecond * duration.TotalSeconds);
        while (sent < total)
        {
            // Open loop: everything due by now goes out, late or not; then wait for the next one.
            var due = Math.Min(total, (int)(Stopwatch.GetElapsedTime(started).TotalSeconds * perSecond) + 1);
            var count = Math.Min(due - sent, 64);
            if (count <= 0)
            {
                var wait = TimeSpan.FromSeconds((sent + 1) / perSecond) - Stopwatch.GetElapsedTime(started);
                if (wait > TimeSpan.FromMilliseconds(1))
                    await Task.Delay(wait, cancellation).ConfigureAwait(false);
                else
                    await Task.Yield();
                continue;
            }

            var now = Stopwatch.GetTimestamp();
            for (var i = 0; i < count; i++)
            {
                var slot = batch.AsSpan(i * template.Length, template.Length);
                template.CopyTo(slot);
                now.TryFormat(slot.Slice(stampOffset, StampDigits), out _, "D19");
            }

            await connection.SendAsync(batch.AsMemory(0, count * template.Length), cancellation).ConfigureAwait(false);
            sent += count;
        }

        return sent;
    }

    private sealed class Inbound(int expected) : ILineSink
    {
        private readonly List<long> _samples = new(expected);

        public long Received { get; private set; }

        public IReadOnlyList<long> Samples => _samples;

        public void OnLine(ReadOnlySpan<byte> line)
        {
            var parsed = ServerLine.Parse(line);
            if (parsed.Kind != ServerLineKind.From || !long.TryParse(parsed.Text[..StampDigits], out var stamp))
                return;
            _samples.Add(Stopwatch.GetTimestamp() - stamp);
            Received++;
        }

        public void OnLineTooLong()
        {
        }
    }
}
