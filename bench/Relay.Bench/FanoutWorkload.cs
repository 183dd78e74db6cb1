using System.Buffers;
using System.Diagnostics;
using System.Text;
using Relay.Protocol;

namespace Relay.Bench;

/// <summary>
/// One sender, K receivers spread over the nodes: the sender sends M messages of P bytes to a room
/// they all joined (or as broadcasts), never more than W ahead of the slowest receiver. Measures
/// deliveries per second (messages × receivers), the delivery latency, and checks that every
/// receiver got every message, in order. Broadcast mode wants nodes with no other clients.
/// </summary>
internal sealed class FanoutWorkload(BenchOptions options, int receivers, int messages, int payloadBytes, int window, bool broadcast)
{
    private readonly FanoutProtocol _protocol = FanoutProtocol.For(options.Server, broadcast);

    // Each payload starts with its sequence number and its send time, so receivers can check order and latency.
    private const int SequenceDigits = 10;
    private const int StampDigits = 19;

    public async Task<BenchResult> RunAsync()
    {
        if (receivers < 1)
            throw new ArgumentException("--receivers must be at least 1");
        if (payloadBytes < SequenceDigits + StampDigits)
            throw new ArgumentException($"--payload must be at least {SequenceDigits + StampDigits} bytes (sequence number and timestamp)");

        using var limit = new CancellationTokenSource(options.Limit);
        // The sender is client 0, on the first node; receivers go round-robin from the second.
        var connections = await Task.WhenAll(Enumerable.Range(0, receivers + 1)
            .Select(i => _protocol.Welcomes
                ? BenchConnection.ConnectAsync(options.NodeFor(i), limit.Token)
                : BenchConnection.ConnectRawAsync(options.NodeFor(i), limit.Token))).ConfigureAwait(false);
        var progress = new SemaphoreSlim(0);
        var inbound = connections.Select(_ => new Inbound(_protocol.NewReader(), messages, progress)).ToArray();
        var room = $"bench-{Guid.NewGuid():N}"[..16];
        try
        {
            var reading = connections.Select((c, i) => c.ReceiveAsync(inbound[i], limit.Token)).ToArray();
            var setups = new List<Task>();
            for (var i = 0; i < connections.Length; i++)
            {
                var setup = _protocol.Setup(room, sender: i == 0);
                if (setup.Length == 0)
                    continue;
                await connections[i].SendAsync(setup, limit.Token).ConfigureAwait(false);
                setups.Add(inbound[i].Ready.Task.WaitAsync(limit.Token));
            }

            await Task.WhenAll(setups).ConfigureAwait(false);
            await _protocol.SettleAsync(options.Nodes.Count, limit.Token).ConfigureAwait(false);

            var stopwatch = Stopwatch.StartNew();
            var completed = true;
            try
            {
                await SendAsync(connections[0], inbound.Skip(1).ToArray(), progress, Encoding.ASCII.GetBytes(room), limit.Token).ConfigureAwait(false);
                await Task.WhenAll(inbound.Skip(1).Select(i => i.AllArrived.Task.WaitAsync(limit.Token))).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                completed = false;
            }

            var elapsed = stopwatch.Elapsed;
            var receiving = inbound.Skip(1).ToArray();
            var delivered = receiving.Sum(i => i.Received);
            var samples = receiving.SelectMany(i => i.Samples).ToArray();
            Array.Sort(samples);
            double Percentile(double p) => samples.Length == 0 ? double.NaN
                : Math.Round(samples[Math.Min(samples.Length - 1, (int)(p / 100 * samples.Length))] * 1e6 / Stopwatch.Frequency, 1);
            return new BenchResult("fanout")
            {
                Completed = completed,
            }
                .Add("server", options.ServerName)
                .Add("nodes", options.Nodes.Count)
                .Add("mode", broadcast ? "broadcast" : "room")
                .Add("receivers", receivers)
                .Add("messages", messages)
                .Add("payload bytes", payloadBytes)
                .Add("window", window)
                .Add("elapsed s", Math.Round(elapsed.TotalSeconds, 3))
                .Add("delivered", delivered)
                .Add("deliveries/s", Math.Round(delivered / elapsed.TotalSeconds))
                .Add("messages/s", Math.Round(messages / elapsed.TotalSeconds))
                .Add("p50 us", Percentile(50))
                .Add("p99 us", Percentile(99))
                .Add("lost", (long)receivers * messages - delivered)
                .Add("out of order", receiving.Sum(i => i.OutOfOrder))
                .Add("errors", inbound.Sum(i => i.Errors))
                .Add("first error", inbound.Select(i => i.FirstError).FirstOrDefault(e => e is not null) ?? "");
        }
        finally
        {
            foreach (var connection in connections)
                await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Sends in batches, never more than the window ahead of the slowest receiver.</summary>
    private async Task SendAsync(BenchConnection sender, Inbound[] receiving, SemaphoreSlim progress, byte[] room, CancellationToken cancellation)
    {
        var template = _protocol.Message(Encoding.ASCII.GetString(room), payloadBytes, out var payloadOffset);
        template.AsSpan(payloadOffset + SequenceDigits + StampDigits, payloadBytes - SequenceDigits - StampDigits).Fill((byte)'x');
        var batch = new byte[template.Length * Math.Max(1, window)];

        for (var sequence = 0; sequence < messages;)
        {
            var slowest = receiving.Min(i => i.Received);
            var count = (int)Math.Min(window - (sequence - slowest), messages - sequence);
            if (count <= 0)
            {
                await progress.WaitAsync(TimeSpan.FromMilliseconds(10), cancellation).ConfigureAwait(false);
                continue;
            }

            var now = Stopwatch.GetTimestamp();
            for (var i = 0; i < count; i++)
            {
                var slot = batch.AsSpan(i * template.Length, template.Length);
                template.CopyTo(slot);
                (sequence + i).TryFormat(slot.Slice(payloadOffset, SequenceDigits), out _, "D10");
                now.TryFormat(slot.Slice(payloadOffset + SequenceDigits, StampDigits), out _, "D19");
            }

            await sender.SendAsync(batch.AsMemory(0, count * template.Length), cancellation).ConfigureAwait(false);
            sequence += count;
        }
    }

    /// <summary>What one client receives.</summary>
    private sealed class Inbound(ILineReader reader, int expected, SemaphoreSlim progress) : ILineSink
    {
        private readonly List<long> _samples = new(expected);
        private long _received;

        public TaskCompletionSource Ready { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource AllArrived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public long Received => Interlocked.Read(ref _received);

        public IReadOnlyList<long> Samples => _samples;

        public long OutOfOrder { get; private set; }

        public long Errors { get; private set; }

        public string? FirstError { get; private set; }

        public void OnLine(ReadOnlySpan<byte> line)
        {
            var kind = reader.Read(line, out var payload);
            if (kind == ReceivedKind.Greeting)
            {
                Ready.TrySetResult();
                return;
            }

            if (kind == ReceivedKind.Control)
                return;
            if (kind != ReceivedKind.From || payload.Length < SequenceDigits + StampDigits)
            {
                Errors++;
                FirstError ??= Encoding.UTF8.GetString(line);
                return;
            }

            if (!long.TryParse(payload[..SequenceDigits], out var sequence) || sequence != _received)
                OutOfOrder++;
            if (long.TryParse(payload.Slice(SequenceDigits, StampDigits), out var stamp))
                _samples.Add(Stopwatch.GetTimestamp() - stamp);
            if (Interlocked.Increment(ref _received) == expected)
                AllArrived.TrySetResult();
            if (progress.CurrentCount == 0)
                progress.Release();
        }

        public void OnLineTooLong()
        {
        }
    }
}
