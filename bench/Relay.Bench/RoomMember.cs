using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Sockets;
using Relay.Client;

namespace Relay.Bench;

/// <summary>
/// One member of a soak room: a <see cref="RelayClient"/> that fails over with a
/// <see cref="NodeList"/> as the console client's <c>--nodes</c> does (and joins its room again),
/// the room messages it received since they were last taken, and the answers its commands wait
/// for. Only its room's rounds (<see cref="RoomGroup"/>) send on it, one command at a time.
/// </summary>
internal sealed class RoomMember(int index, string room, NodeList nodes)
{
    private const int FailoverRounds = 5;
    private static readonly TimeSpan AnswerWithin = TimeSpan.FromSeconds(10);

    private readonly object _gate = new();
    private NodeList _nodes = nodes;
    private List<(int Round, int Sender)> _received = new();
    private RelayClient? _client;
    private Task _reading = Task.CompletedTask;
    private TaskCompletionSource<CommandConfirmed>? _confirmed;
    private TaskCompletionSource? _pong;
    private volatile bool _lost;
    private volatile bool _closing;
    private int _reconnectsAsked;
    private int _lostWithoutReconnect;

    public int Index => index;

    /// <summary>Had its <c>OK:JOIN</c> and not left since.</summary>
    public bool InRoom { get; private set; }

    /// <summary>Its connection ended (its node said RECONNECT, or closed) and it has not failed over yet.</summary>
    public bool Lost => _lost;

    /// <summary>Connected to no node: the last failover found none.</summary>
    public bool Stranded { get; private set; }

    /// <summary>The node it is connected to, host:port.</summary>
    public string Node => _nodes.Current;

    public int Failovers { get; private set; }

    /// <summary><c>RECONNECT</c> lines received.</summary>
    public int ReconnectsAsked => Volatile.Read(ref _reconnectsAsked);

    /// <summary>Connections that ended without a <c>RECONNECT</c> first (none expected: nodes only leave gracefully here).</summary>
    public int LostWithoutReconnect => Volatile.Read(ref _lostWithoutReconnect);

    /// <summary>Lines nobody should have sent it: errors, messages of other rooms or of no round, direct messages.</summary>
    public ConcurrentQueue<string> Unexpected { get; } = new();

    public async Task ConnectAsync(CancellationToken cancellation)
    {
        _client = await _nodes.ConnectAsync(rounds: FailoverRounds, cancellation: cancellation).ConfigureAwait(false);
        _reading = ReadAsync(_client);
    }

    /// <summary>After its connection was lost: the next node that answers, and its room joined again. False if no node did.</summary>
    public async Task<bool> RecoverAsync(CancellationToken cancellation)
    {
        if (_client is { } old)
            await old.DisposeAsync().ConfigureAwait(false);
        await _reading.ConfigureAwait(false);
        var recovered = await ReconnectAsync(skipCurrent: true, cancellation).ConfigureAwait(false);
        if (recovered)
            Failovers++;
        return recovered;
    }

    /// <summary>
    /// Moves to the first node of <paramref name="list"/> that answers (its own node, back after a
    /// restart), joins its room there again if it was in it, and fails over with that list from
    /// then on. Only between rounds.
    /// </summary>
    public async Task<bool> MoveAsync(NodeList list, CancellationToken cancellation)
    {
        _closing = true;
        if (_client is { } old)
            await old.DisposeAsync().ConfigureAwait(false);
        await _reading.ConfigureAwait(false);
        _closing = false;
        _nodes = list;
        return await ReconnectAsync(skipCurrent: false, cancellation).ConfigureAwait(false);
    }

    private async Task<bool> ReconnectAsync(bool skipCurrent, CancellationToken cancellation)
    {
        try
        {
            _client = await _nodes.ConnectAsync(skipCurrent, rounds: FailoverRounds, cancellation).ConfigureAwait(false);
        }
        catch (Exception error) when (error is RelayConnectionException or OperationCanceledException)
        {
            _client = null;
            Stranded = true;
            return false;
        }

        Stranded = false;
        _lost = false;
        _reading = ReadAsync(_client);
        if (!InRoom)
            return true;
        InRoom = false;
        return await JoinAsync(cancellation).ConfigureAwait(false);
    }

    /// <summary>JOIN, and wait for its OK. False without one (the connection was lost, or no answer came).</summary>
    public async Task<bool> JoinAsync(CancellationToken cancellation)
    {
        var joined = await CommandAsync(client => client.JoinAsync(room, cancellation), "JOIN", cancellation).ConfigureAwait(false);
        InRoom |= joined;
        return joined;
    }

    /// <summary>LEAVE, and wait for its OK. False without one.</summary>
    public async Task<bool> LeaveAsync(CancellationToken cancellation)
    {
        var left = await CommandAsync(client => client.LeaveAsync(room, cancellation), "LEAVE", cancellation).ConfigureAwait(false);
        InRoom &= !left;
        return left;
    }

    /// <summary>Says round <paramref name="round"/> to the room, then PINGs; <see cref="PongAsync"/> waits for the answer.</summary>
    public async Task<bool> SayAsync(int round, CancellationToken cancellation)
    {
        _pong = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (_client is not { } client || _lost)
            return false;
        try
        {
            await client.RoomAsync(room, $"{round.ToString(CultureInfo.InvariantCulture)}:{index.ToString(CultureInfo.InvariantCulture)}", cancellation).ConfigureAwait(false);
            await client.PingAsync(cancellation).ConfigureAwait(false);
            return true;
        }
        catch (Exception error) when (error is SocketException or IOException or ObjectDisposedException)
        {
            return false;
        }
    }

    /// <summary>The PONG after <see cref="SayAsync"/>: every node has handed the round's message to its members. False without one.</summary>
    public async Task<bool> PongAsync(CancellationToken cancellation)
    {
        try
        {
            await _pong!.Task.WaitAsync(AnswerWithin, cancellation).ConfigureAwait(false);
            return true;
        }
        catch (Exception error) when (error is TimeoutException or IOException)
        {
            return false;
        }
    }

    /// <summary>Room messages of round <paramref name="round"/> received so far.</summary>
    public int CountReceived(int round)
    {
        lock (_gate)
            return _received.Count(r => r.Round == round);
    }

    /// <summary>The room messages received since the last call.</summary>
    public IReadOnlyList<(int Round, int Sender)> TakeReceived()
    {
        lock (_gate)
        {
            var taken = _received;
            _received = new();
            return taken;
        }
    }

    /// <summary>At the end: true when it is connected and its node answers a PING.</summary>
    public async Task<bool> AnswersAsync(CancellationToken cancellation)
    {
        _pong = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (_client is not { } client || _lost)
            return false;
        try
        {
            await client.PingAsync(cancellation).ConfigureAwait(false);
        }
        catch (Exception error) when (error is SocketException or IOException or ObjectDisposedException)
        {
            return false;
        }

        return await PongAsync(cancellation).ConfigureAwait(false);
    }

    public async Task CloseAsync()
    {
        _closing = true;
        if (_client is { } client)
            await client.DisposeAsync().ConfigureAwait(false);
        await _reading.ConfigureAwait(false);
    }

    private async Task<bool> CommandAsync(Func<RelayClient, ValueTask> send, string command, CancellationToken cancellation)
    {
        var confirmed = _confirmed = new TaskCompletionSource<CommandConfirmed>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (_client is not { } client || _lost)
            return false;
        try
        {
            await send(client).ConfigureAwait(false);
            var answer = await confirmed.Task.WaitAsync(AnswerWithin, cancellation).ConfigureAwait(false);
            if (answer.Command == command && answer.Argument == room)
                return true;
            Unexpected.Enqueue($"OK:{answer.Command}:{answer.Argument} in answer to {command}:{room}");
            return false;
        }
        catch (Exception error) when (error is SocketException or IOException or ObjectDisposedException or TimeoutException)
        {
            return false;
        }
    }

    private async Task ReadAsync(RelayClient client)
    {
        var reconnectAsked = false;
        try
        {
            await foreach (var received in client.ReadAllAsync().ConfigureAwait(false))
            {
                // From RECONNECT on the node has taken the member out of its rooms: a line it sent
                // before it saw RECONNECT is refused (NOT_MEMBER), which is an answer, not a fault.
                if (reconnectAsked && received is ErrorReceived)
                    continue;
                reconnectAsked |= Handle(received);
                if (received is ReconnectRequested)
                    await QuitAsync(client).ConfigureAwait(false);
            }
        }
        catch (RelayConnectionException)
        {
            // Reset rather than closed: the same as a close here.
        }

        if (_closing)
            return;
        if (!reconnectAsked)
            Interlocked.Increment(ref _lostWithoutReconnect);
        _lost = true;
        // Whatever waits for an answer on this connection will not get one.
        _confirmed?.TrySetException(new IOException("connection lost"));
        _pong?.TrySetException(new IOException("connection lost"));
    }

    /// <summary>Answers RECONNECT as a client should: QUIT, so that the node answers what came before and closes.</summary>
    private static async Task QuitAsync(RelayClient client)
    {
        try
        {
            await client.QuitAsync().ConfigureAwait(false);
        }
        catch (Exception error) when (error is System.Net.Sockets.SocketException or IOException or ObjectDisposedException)
        {
            // Closed already: the failover follows all the same.
        }
    }

    /// <summary>True for the node's RECONNECT.</summary>
    private bool Handle(RelayEvent received)
    {
        switch (received)
        {
            case RoomMessageReceived message when message.Room == room && TryParse(message.Text, out var round, out var sender) && sender != index:
                lock (_gate)
                    _received.Add((round, sender));
                break;
            case CommandConfirmed confirmed:
                _confirmed?.TrySetResult(confirmed);
                break;
            case PongReceived:
                _pong?.TrySetResult();
                break;
            case ReconnectRequested:
                Interlocked.Increment(ref _reconnectsAsked);
                return true;
            case ErrorReceived error:
                Unexpected.Enqueue($"ERROR:{error.Code}:{error.Text}");
                break;
            default:
                Unexpected.Enqueue(received.ToString());
                break;
        }

        return false;
    }

    private static bool TryParse(string text, out int round, out int sender)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        sender = 0;
        round = 0;
        return colon > 0
            && int.TryParse(text.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out round)
            && int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out sender);
    }
}
