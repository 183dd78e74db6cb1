using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using Relay.Client;

namespace Relay.Bench;

/// <summary>
/// One client of the failover workload: a <see cref="RelayClient"/> that, when its node goes away,
/// connects to the next one that answers exactly as the console client's <c>--nodes</c> does
/// (<see cref="NodeList"/>, five passes a second apart), and chats with receipts meanwhile.
/// </summary>
internal sealed class FailoverClient(int index, NodeList nodes, MessageLedger ledger, long[] directory)
{
    private const int FailoverRounds = 5;

    private readonly List<TimeSpan> _failovers = new();
    private NodeList _nodes = nodes;
    private volatile NodeList? _moveTo;
    private TaskCompletionSource<bool>? _moved;
    private volatile Connection? _connection;
    private volatile bool _finished;
    private TaskCompletionSource? _pong;
    private int _seq;

    /// <summary>Times from losing a node to the next id, one per failover.</summary>
    public IReadOnlyList<TimeSpan> Failovers => _failovers;

    /// <summary><c>RECONNECT</c> lines received.</summary>
    public int ReconnectsAsked { get; private set; }

    /// <summary>Error lines that were not receipts (none expected).</summary>
    public int OtherErrors { get; private set; }

    /// <summary>No node answered within the failover rounds: the client gave up.</summary>
    public bool Stranded { get; private set; }

    /// <summary>The node it is connected to (host:port), or null when stranded.</summary>
    public string? Node => _connection is null ? null : _nodes.Current;

    /// <summary>The number of the connection in use (1 for the first).</summary>
    public int ConnectionNumber => _connection?.Number ?? 0;

    public async Task ConnectAsync(CancellationToken cancellation)
    {
        var client = await _nodes.ConnectAsync(rounds: FailoverRounds, cancellation: cancellation).ConfigureAwait(false);
        _connection = new Connection(client, 1);
        Volatile.Write(ref directory[index], client.Id);
    }

    /// <summary>Reads until the end of the run, failing over whenever the connection ends.</summary>
    public async Task ReceiveAsync(CancellationToken cancellation)
    {
        while (_connection is { } connection)
        {
            try
            {
                await foreach (var received in connection.Client.ReadAllAsync(cancellation).ConfigureAwait(false))
                {
                    Handle(connection, received);
                    if (received is ReconnectRequested)
                        await QuitAsync(connection).ConfigureAwait(false);
                }
            }
            catch (RelayConnectionException)
            {
                // Reset rather than closed: the same as a close here.
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (_finished)
                return;
            if (_moveTo is { } list)
            {
                _moveTo = null;
                _nodes = list;
                await FailOverAsync(connection, skipCurrent: false, cancellation).ConfigureAwait(false);
                _moved?.TrySetResult(_connection is not null);
                continue;
            }

            await FailOverAsync(connection, skipCurrent: true, cancellation).ConfigureAwait(false);
        }
    }

    /// <summary>A message to the next client's current id every <paramref name="interval"/>, until <paramref name="stop"/>.</summary>
    public async Task SendAsync(TimeSpan interval, int clients, CancellationToken stop)
    {
        // Spread the clients' sends over the interval.
        var ticks = Stopwatch.GetTimestamp() + (long)(Random.Shared.NextDouble() * interval.TotalSeconds * Stopwatch.Frequency);
        while (!stop.IsCancellationRequested)
        {
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), ticks);
            try
            {
                if (wait > TimeSpan.Zero)
                    await Task.Delay(wait, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            ticks += (long)(interval.TotalSeconds * Stopwatch.Frequency);
            var peer = Volatile.Read(ref directory[(index + 1) % clients]);
            // Between connections (ours or the peer's) there is nobody to write to.
            if (_connection is not { Leaving: false } connection || peer == 0)
                continue;
            await connection.Gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
            try
            {
                // Checked again under the gate: once QUIT is out, a line would not be read.
                if (connection.Leaving)
                    continue;
                var seq = _seq++;
                ledger.Sending(index, seq, connection.Number);
                await SendAsync(connection, seq, peer, stop).ConfigureAwait(false);
            }
            finally
            {
                connection.Gate.Release();
            }
        }
    }

    private async Task SendAsync(Connection connection, int seq, long peer, CancellationToken stop)
    {
        try
        {
            await connection.Client.SendWithReceiptAsync(Reference(seq), peer, $"{index}:{seq}", stop).ConfigureAwait(false);
        }
        catch (Exception error) when (error is SocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            ledger.NotSent(index, seq);
        }
    }

    /// <summary>
    /// Its node is leaving: no more lines, then QUIT, so that the node answers every line sent on
    /// this connection before it closes (the close starts the failover).
    /// </summary>
    private static async Task QuitAsync(Connection connection)
    {
        await connection.Gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            connection.Leaving = true;
            await connection.Client.QuitAsync().ConfigureAwait(false);
        }
        catch (Exception error) when (error is SocketException or IOException or ObjectDisposedException)
        {
            // Closed already: the failover follows all the same.
        }
        finally
        {
            connection.Gate.Release();
        }
    }

    /// <summary>At the end: true when the client is connected and its node answers a PING.</summary>
    public async Task<bool> AnswersAsync(TimeSpan within)
    {
        if (_connection is not { } connection)
            return false;
        _pong = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            await connection.Client.PingAsync().ConfigureAwait(false);
            await _pong.Task.WaitAsync(within).ConfigureAwait(false);
            return true;
        }
        catch (Exception error) when (error is SocketException or IOException or ObjectDisposedException or TimeoutException)
        {
            return false;
        }
    }

    /// <summary>
    /// Moves to the first node of <paramref name="list"/> that answers (a client's own node, back
    /// after its restart) and fails over with that list from then on; false if no node answered.
    /// Call it with sending stopped and every receipt in: none is awaited on the connection it leaves.
    /// </summary>
    public async Task<bool> MoveAsync(NodeList list)
    {
        if (_connection is not { } connection)
            return false;
        var moved = _moved = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        _moveTo = list;
        // The receive loop sees the connection end and connects anew (below, in ReceiveAsync).
        connection.Leaving = true;
        await connection.Client.DisposeAsync().ConfigureAwait(false);
        return await moved.Task.ConfigureAwait(false);
    }

    /// <summary>Ends the run: no more failovers, and the connection closes.</summary>
    public async Task CloseAsync()
    {
        _finished = true;
        if (_connection is { } connection)
            await connection.Client.DisposeAsync().ConfigureAwait(false);
    }

    private static string Reference(int seq) => "m" + seq.ToString(CultureInfo.InvariantCulture);

    private static int SeqOf(string reference) => int.Parse(reference.AsSpan(1), CultureInfo.InvariantCulture);

    private void Handle(Connection connection, RelayEvent received)
    {
        switch (received)
        {
            case MessageReceived message:
                var colon = message.Text.IndexOf(':', StringComparison.Ordinal);
                ledger.Received(int.Parse(message.Text.AsSpan(0, colon), CultureInfo.InvariantCulture), int.Parse(message.Text.AsSpan(colon + 1), CultureInfo.InvariantCulture));
                break;
            case DeliveryConfirmed delivered:
                ledger.Delivered(index, SeqOf(delivered.Reference));
                break;
            case DeliveryFailed failed:
                ledger.NotDelivered(index, SeqOf(failed.Reference), failed.Cause);
                break;
            case ReconnectRequested:
                ReconnectsAsked++;
                break;
            case PongReceived:
                _pong?.TrySetResult();
                break;
            case ErrorReceived:
                OtherErrors++;
                break;
        }
    }

    /// <summary>After <paramref name="lost"/>: the next node that answers (a failover, timed), or with <paramref name="skipCurrent"/> false the first of the list (a move).</summary>
    private async Task FailOverAsync(Connection lost, bool skipCurrent, CancellationToken cancellation)
    {
        var started = Stopwatch.GetTimestamp();
        lost.Leaving = true;
        Volatile.Write(ref directory[index], 0);
        await lost.Client.DisposeAsync().ConfigureAwait(false);
        try
        {
            var client = await _nodes.ConnectAsync(skipCurrent, rounds: FailoverRounds, cancellation).ConfigureAwait(false);
            _connection = new Connection(client, lost.Number + 1);
            Volatile.Write(ref directory[index], client.Id);
            if (skipCurrent)
                _failovers.Add(Stopwatch.GetElapsedTime(started));
        }
        catch (Exception error) when (error is RelayConnectionException or OperationCanceledException)
        {
            Stranded = true;
            _connection = null;
        }
    }

    private sealed class Connection(RelayClient client, int number)
    {
        public RelayClient Client { get; } = client;

        public int Number { get; } = number;

        /// <summary>Orders sends and the QUIT that answers RECONNECT: nothing is written after the QUIT.</summary>
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public volatile bool Leaving;
    }
}
