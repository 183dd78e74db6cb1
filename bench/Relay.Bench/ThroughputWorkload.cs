using System.Buffers;
using System.Diagnostics;
using Relay.Protocol;

namespace Relay.Bench;

/// <summary>
/// N clients in fixed random pairs; each sends M messages of P bytes to its partner with at most W
/// unanswered (not yet delivered) at a time. Measures delivered messages per second and checks
/// that every message arrived, in order.
/// </summary>
internal sealed class ThroughputWorkload(BenchOptions options, int clients, int messages, int payloadBytes, int window)
{
    // Each payload starts with its sequence number, so the receiver can check order and loss.
    private const int SequenceDigits = 10;

    public async Task<BenchResult> RunAsync()
    {
        if (clients < 2 || clients % 2 != 0)
            throw new ArgumentException("--clients must be an even number of at least 2 (they pair up)");
        if (payloadBytes < SequenceDigits)
            throw new ArgumentException($"--payload must be at least {SequenceDigits} bytes (the sequence number)");

        using var limit = new CancellationTokenSource(options.Limit);
        var connections = await Task.WhenAll(Enumerable.Range(0, clients)
            .Select(i => BenchConnection.ConnectAsync(options.NodeFor(i), limit.Token))).ConfigureAwait(false);
        try
        {
            // Fixed random pairs: shuffle, then 0-1, 2-3, ...; with several nodes most pairs span two.
            var order = Enumerable.Range(0, clients).OrderBy(_ => Random.Shared.Next()).ToArray();
            var partner = new int[clients];
            for (var i = 0; i < clients; i += 2)
                (partner[order[i]], partner[order[i + 1]]) = (order[i + 1], order[i]);

            var inbound = Enumerable.Range(0, clients).Select(_ => new Inbound(window)).ToArray();
            var stopwatch = Stopwatch.StartNew();
            using var progress = Progress(inbound, (long)clients * messages, stopwatch);

            var receivers = connections.Select((c, i) => c.ReceiveAsync(inbound[i], limit.Token)).ToArray();
            var senders = connections.Select((c, i) =>
                SendAsync(c, connections[partner[i]].Id, inbound[partner[i]], limit.Token)).ToArray();

            var completed = true;
            try
            {
                await Task.WhenAll(senders).ConfigureAwait(false);
                await Task.WhenAll(inbound.Select(i => i.AllArrived(messages, limit.Token))).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                completed = false;
            }

            var elapsed = stopwatch.Elapsed;
            var delivered = inbound.Sum(i => i.Received);
            var expected = (long)clients * messages;
            return new BenchResult("throughput")
            {
                Completed = completed,
            }
                .Add("nodes", options.Nodes.Count)
                .Add("clients", clients)
                .Add("messages per client", messages)
                .Add("payload bytes", payloadBytes)
                .Add("window", window)
                .Add("elapsed s", Math.Round(elapsed.TotalSeconds, 3))
                .Add("delivered", delivered)
                .Add("msgs/s", Math.Round(delivered / elapsed.TotalSeconds))
                .Add("MB/s", Math.Round(delivered * (payloadBytes + 1.0) / elapsed.TotalSeconds / 1e6, 1))
                .Add("lost", expected - delivered)
                .Add("out of order", inbound.Sum(i => i.OutOfOrder))
                .Add("errors", inbound.Sum(i => i.Errors))
                .Add("first error", inbound.Select(i => i.FirstError).FirstOrDefault(e => e is not null) ?? "");
        }
        finally
        {
            foreach (var connection in connections)
                await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task SendAsync(BenchConnection connection, long partnerId, Inbound partnerInbound, CancellationToken cancellation)
    {
        // Lines go out in batches of whatever the window allows: one socket write for many lines.
        var line = new ArrayBufferWriter<byte>(payloadBytes + 32);
        ClientLines.To(line, partnerId, new byte[payloadBytes]);
        var template = line.WrittenMemory.ToArray();
        var payloadOffset = template.Length - 1 - payloadBytes;
        template.AsSpan(payloadOffset + SequenceDigits, payloadBytes - SequenceDigits).Fill((byte)'x');
        var batch = new byte[template.Length * Math.Max(1, window)];

        for (var sequence = 0; sequence < messages;)
        {
            await partnerInbound.Window.WaitAsync(cancellation).ConfigureAwait(false);
            var count = 1;
            while (count < window && sequence + count < messages && partnerInbound.Window.Wait(0))
                count++;

            for (var i = 0; i < count; i++)
            {
                var slot = batch.AsSpan(i * template.Length, template.Length);
                template.CopyTo(slot);
                (sequence + i).TryFormat(slot.Slice(payloadOffset, SequenceDigits), out _, "D10");
            }

            await connection.SendAsync(batch.AsMemory(0, count * template.Length), cancellation).ConfigureAwait(false);
            sequence += count;
        }
    }

    private IDisposable? Progress(Inbound[] inbound, long expected, Stopwatch stopwatch) =>
        options.Progress
            ? new Timer(_ => Console.Error.Write($"\r  {inbound.Sum(i => i.Received):N0} / {expected:N0} delivered, {stopwatch.Elapsed.TotalSeconds:0.0} s   "), null, 1000, 1000)
            : null;

    /// <summary>What one client receives from its partner, and the partner's window.</summary>
    private sealed class Inbound(int window) : ILineSink
    {
        private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private long _received;
        private int _target = int.MaxValue;

        public SemaphoreSlim Window { get; } = new(window, window);

        public long Received => Interlocked.Read(ref _received);

        public long OutOfOrder { get; private set; }

        /// <summary>Lines other than FROM (errors, RECONNECT) this client received: each is a message that will not arrive.</summary>
        public long Errors { get; private set; }

        public string? FirstError { get; private set; }

        public Task AllArrived(int count, CancellationToken cancellation)
        {
            Volatile.Write(ref _target, count);
            if (Received >= count)
                _done.TrySetResult();
            return _done.Task.WaitAsync(cancellation);
        }

        public void OnLine(ReadOnlySpan<byte> line)
        {
            var parsed = ServerLine.Parse(line);
            if (parsed.Kind != ServerLineKind.From)
            {
                Errors++;
                FirstError ??= System.Text.Encoding.UTF8.GetString(line);
                return;
            }

            if (!long.TryParse(parsed.Text[..SequenceDigits], out var sequence) || sequence != _received)
                OutOfOrder++;
            var received = Interlocked.Increment(ref _received);
            Window.Release();
            if (received >= Volatile.Read(ref _target))
                _done.TrySetResult();
        }

        public void OnLineTooLong()
        {
        }
    }
}
