using System.Diagnostics;
using Relay.Protocol;

namespace Relay.Bench;

/// <summary>
/// N clients in fixed random pairs; each sends M messages of P bytes to its partner with at most W
/// unanswered (not yet delivered) at a time. Measures delivered messages per second and checks
/// that every message arrived, in order.
/// </summary>
/// <remarks>
/// Over UDP a message may be lost, so its window slot would never come back: a sender that has
/// heard nothing from its partner's side for <see cref="LossTimeout"/> writes off what it has in
/// flight and goes on, and the run ends when everything arrived or nothing has for
/// <see cref="DrainTimeout"/>. Loss is reported (sent − delivered), never waited for.
/// </remarks>
internal sealed class ThroughputWorkload(BenchOptions options, int clients, int messages, int payloadBytes, int window)
{
    private readonly ClientWire _wire = ClientWire.For(options);

    // Each payload starts with its sequence number, so the receiver can check order and loss.
    private const int SequenceDigits = 10;
    private static readonly TimeSpan LossTimeout = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(2);

    public async Task<BenchResult> RunAsync()
    {
        if (clients < 2 || clients % 2 != 0)
            throw new ArgumentException("--clients must be an even number of at least 2 (they pair up)");
        if (payloadBytes < SequenceDigits)
            throw new ArgumentException($"--payload must be at least {SequenceDigits} bytes (the sequence number)");
        if (window < 1)
            throw new ArgumentException("--window must be at least 1");

        using var limit = new CancellationTokenSource(options.Limit);
        var connections = await Task.WhenAll(Enumerable.Range(0, clients)
            .Select(i => _wire.ConnectAsync(options.NodeFor(i), i, limit.Token))).ConfigureAwait(false);
        try
        {
            await _wire.ReadyAsync(limit.Token).ConfigureAwait(false);
            // Fixed random pairs: shuffle, then 0-1, 2-3, ...; with several nodes most pairs span two.
            var order = Enumerable.Range(0, clients).OrderBy(_ => Random.Shared.Next()).ToArray();
            var partner = new int[clients];
            for (var i = 0; i < clients; i += 2)
                (partner[order[i]], partner[order[i + 1]]) = (order[i + 1], order[i]);

            var inbound = Enumerable.Range(0, clients).Select(_ => new Inbound(window, _wire.NewReader(), options.Udp)).ToArray();
            // The load tool's own CPU while it measures: on a machine it shares with the server,
            // what it takes is not the server's, and a comparison has to know how much that is.
            var toolCpu = Process.GetCurrentProcess().TotalProcessorTime;
            var started = Stopwatch.GetTimestamp();
            var stopwatch = Stopwatch.StartNew();
            using var progress = Progress(inbound, (long)clients * messages, stopwatch);

            using var receiving = CancellationTokenSource.CreateLinkedTokenSource(limit.Token);
            var receivers = connections.Select((c, i) => c.ReceiveAsync(inbound[i], receiving.Token)).ToArray();
            var senders = connections.Select((c, i) => options.Udp
                ? SendDatagramsAsync(c, connections[partner[i]].Id, inbound[partner[i]], limit.Token)
                : SendAsync(c, connections[partner[i]].Id, inbound[partner[i]], limit.Token)).ToArray();

            var completed = true;
            try
            {
                await Task.WhenAll(senders).ConfigureAwait(false);
                if (options.Udp)
                    await DrainAsync(inbound, messages, limit.Token).ConfigureAwait(false);
                else
                    await Task.WhenAll(inbound.Select(i => i.AllArrived(messages, limit.Token))).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                completed = false;
            }

            // Over UDP the run ends at the last arrival, not at the end of the wait for the lost ones.
            var elapsed = options.Udp && inbound.Any(i => i.LastArrival > 0)
                ? Stopwatch.GetElapsedTime(started, inbound.Max(i => i.LastArrival))
                : stopwatch.Elapsed;
            toolCpu = Process.GetCurrentProcess().TotalProcessorTime - toolCpu;
            await receiving.CancelAsync().ConfigureAwait(false);
            var delivered = inbound.Sum(i => i.Received);
            var sent = inbound.Sum(i => i.Sent);
            var expected = (long)clients * messages;
            return new BenchResult("throughput")
            {
                Completed = completed,
            }
                .Add("server", options.ServerName)
                .Add("protocol", options.Protocol)
                .Add("nodes", options.Nodes.Count)
                .Add("clients", clients)
                .Add("messages per client", messages)
                .Add("payload bytes", payloadBytes)
                .Add("window", window)
                .Add("elapsed s", Math.Round(elapsed.TotalSeconds, 3))
                .Add("sent", sent)
                .Add("delivered", delivered)
                .Add("msgs/s", Math.Round(delivered / elapsed.TotalSeconds))
                .Add("MB/s", Math.Round(delivered * (payloadBytes + 1.0) / elapsed.TotalSeconds / 1e6, 1))
                .Add("load tool cpu s", Math.Round(toolCpu.TotalSeconds, 3))
                .Add("lost", expected - delivered)
                .Add("lost %", Math.Round(100.0 * (expected - delivered) / expected, 3))
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
        var template = _wire.MessageTemplate(partnerId, BenchWire.Payload(payloadBytes, SequenceDigits), out var payloadOffset);
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
            partnerInbound.CountSent(count);
        }
    }

    /// <summary>
    /// Over UDP: one datagram per message, at most <c>window</c> in flight; what has not arrived
    /// after <see cref="LossTimeout"/> without any arrival is written off as lost.
    /// </summary>
    private async Task SendDatagramsAsync(BenchConnection connection, long partnerId, Inbound partnerInbound, CancellationToken cancellation)
    {
        var template = BenchWire.MessageTemplate(options.Json, partnerId, BenchWire.Payload(payloadBytes, SequenceDigits), out var payloadOffset);
        var datagram = new byte[template.Length];
        template.CopyTo(datagram, 0);

        for (var sequence = 0; sequence < messages; sequence++)
        {
            // Bounded: each pass takes a slot, or waits at most LossTimeout and then writes off
            // (which frees the window); a wake-up without a slot comes from an arrival, of which
            // there are at most as many as were sent.
            while (!partnerInbound.TryTakeSlot())
            {
                if (!await partnerInbound.Window.WaitAsync(LossTimeout, cancellation).ConfigureAwait(false))
                    partnerInbound.WriteOff(sequence);
            }

            sequence.TryFormat(datagram.AsSpan(payloadOffset, SequenceDigits), out _, "D10");
            await connection.SendAsync(datagram, cancellation).ConfigureAwait(false);
            partnerInbound.CountSent(1);
        }
    }

    /// <summary>Over UDP: waits until every message arrived, or none has for <see cref="DrainTimeout"/>.</summary>
    private static async Task DrainAsync(Inbound[] inbound, int messages, CancellationToken cancellation)
    {
        var received = -1L;
        var lastProgress = Stopwatch.GetTimestamp();
        while (inbound.Any(i => i.Received < messages) && Stopwatch.GetElapsedTime(lastProgress) < DrainTimeout)
        {
            await Task.Delay(10, cancellation).ConfigureAwait(false);
            var now = inbound.Sum(i => i.Received);
            if (now != received)
                (received, lastProgress) = (now, Stopwatch.GetTimestamp());
        }
    }

    private IDisposable? Progress(Inbound[] inbound, long expected, Stopwatch stopwatch) =>
        options.Progress
            ? new Timer(_ => Console.Error.Write($"\r  {inbound.Sum(i => i.Received):N0} / {expected:N0} delivered, {stopwatch.Elapsed.TotalSeconds:0.0} s   "), null, 1000, 1000)
            : null;

    /// <summary>What one client receives from its partner, and the partner's window.</summary>
    private sealed class Inbound(int window, ILineReader reader, bool udp) : ILineSink
    {
        private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly object _gate = new();
        private long _received;
        private long _sent;
        private long _lastArrival;
        private readonly int _window = window;
        private int _target = int.MaxValue;
        // UDP only: free window slots, and the sequence below which messages were written off.
        private int _slots = window;
        private long _writtenOffBelow;
        private long _lastSequence = -1;

        /// <summary>
        /// The partner's window. Over TCP its count is the free slots; over UDP it is only a
        /// wake-up (the slots are counted under a lock, since lost messages never give theirs back).
        /// </summary>
        public SemaphoreSlim Window { get; } = udp ? new(0) : new(window, window);

        public long Received => Interlocked.Read(ref _received);

        /// <summary>Messages the partner sent to this client.</summary>
        public long Sent => Interlocked.Read(ref _sent);

        /// <summary>When the last message arrived (a <see cref="Stopwatch"/> timestamp), 0 if none.</summary>
        public long LastArrival => Interlocked.Read(ref _lastArrival);

        public long OutOfOrder { get; private set; }

        /// <summary>Lines other than FROM (errors, RECONNECT) this client received: each is a message that will not arrive.</summary>
        public long Errors { get; private set; }

        public string? FirstError { get; private set; }

        public void CountSent(int count) => Interlocked.Add(ref _sent, count);

        public Task AllArrived(int count, CancellationToken cancellation)
        {
            Volatile.Write(ref _target, count);
            if (Received >= count)
                _done.TrySetResult();
            return _done.Task.WaitAsync(cancellation);
        }

        /// <summary>UDP: takes a free slot of the window, if there is one.</summary>
        public bool TryTakeSlot()
        {
            lock (_gate)
            {
                if (_slots == 0)
                    return false;
                _slots--;
                return true;
            }
        }

        /// <summary>UDP: the messages before <paramref name="sequence"/> still in flight count as lost; the window is free again.</summary>
        public void WriteOff(long sequence)
        {
            lock (_gate)
            {
                _writtenOffBelow = sequence;
                _slots = _window;
            }
        }

        public void OnLine(ReadOnlySpan<byte> line)
        {
            var kind = reader.Read(line, out var text);
            if (kind is ReceivedKind.Greeting or ReceivedKind.Control)
                return;
            if (kind != ReceivedKind.From)
            {
                Errors++;
                FirstError ??= System.Text.Encoding.UTF8.GetString(line);
                return;
            }

            var sequence = -1L;
            var parsed = text.Length >= SequenceDigits && long.TryParse(text[..SequenceDigits], out sequence);
            if (udp)
            {
                // Over UDP a gap is loss (counted separately); out of order is a step back.
                if (!parsed || sequence <= _lastSequence)
                    OutOfOrder++;
                else
                    _lastSequence = sequence;
                Interlocked.Increment(ref _received);
                Interlocked.Exchange(ref _lastArrival, Stopwatch.GetTimestamp());
                lock (_gate)
                {
                    // A message written off already gave its slot back.
                    if (parsed && sequence < _writtenOffBelow)
                        return;
                    _slots = Math.Min(_window, _slots + 1);
                }

                Window.Release();
                return;
            }

            if (!parsed || sequence != _received)
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
