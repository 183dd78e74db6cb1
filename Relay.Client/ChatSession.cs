using System.Collections.Concurrent;
using System.Globalization;

namespace Relay.Client;

/// <summary>
/// The console chat: shows incoming events while it reads the user's lines, until the user
/// leaves, input ends or the server goes away — in which case, given other nodes, it fails over
/// to the next one and carries on with a new id.
/// </summary>
internal sealed class ChatSession(NodeList nodes, RelayClient client, IChatOutput output, Func<string, string?> readLine)
{
    // Piped input may end before the server has answered the last lines; a PING's answer proves
    // it has, so errors for those lines are shown before the client exits.
    private static readonly TimeSpan FinalPingTimeout = TimeSpan.FromSeconds(5);

    // A node that is leaving needs a moment to leave; a crashed one is skipped at once.
    private const int FailoverRounds = 5;

    // QUIT waits for the receipts still due, each for at most the server's receipt timeout (15 s).
    private static readonly TimeSpan ReceiptsAtQuitTimeout = TimeSpan.FromSeconds(20);

    // Receipt texts quote the message, cut to this many characters.
    private const int QuotedLength = 40;

    private readonly TaskCompletionSource _finalPong = new(TaskCreationOptions.RunContinuationsAsynchronously);
    // Sent with /ack and not yet answered, by reference: added on the input side, removed on the receiving side.
    private readonly ConcurrentDictionary<string, SentWithReceipt> _awaitingReceipts = new();
    // Confirmed by the server, so they can be restored on another node after a failover. Only the
    // receiving side changes them, and failover reads them once that side has ended.
    private readonly SortedSet<string> _rooms = new(StringComparer.Ordinal);
    private bool _watching;
    private long _lastReceipt;
    // PINGs the user sent whose PONG has not come: PONGs come in order, so the final PING's is the one after them.
    private int _userPings;
    private volatile bool _leaving;
    private volatile bool _refused;
    // Over UDP the node forgot this client (SessionLost): it is there, so say HELLO to it again.
    private volatile bool _sessionLost;
    private RelayClient _client = client;

    /// <summary>
    /// Runs the chat; the exit code is 0 when the user left and every line was taken, 1 when a line
    /// was refused (by the server, or here for bad usage) or no server was left.
    /// </summary>
    public async Task<int> RunAsync()
    {
        var input = new ChatInput();
        var receiving = ShowEventsAsync(_client);
        Task<string?>? reading = null;
        while (true)
        {
            reading ??= Task.Run(() => readLine(input.Prompt));
            if (await Task.WhenAny(reading, receiving).ConfigureAwait(false) == receiving)
            {
                if (!await FailOverAsync().ConfigureAwait(false))
                    return 1;
                receiving = ShowEventsAsync(_client);
                continue;
            }

            var line = await reading.ConfigureAwait(false);
            reading = null;
            if (line is null)
                break;

            try
            {
                if (!await ActAsync(input.Interpret(line)).ConfigureAwait(false))
                    break;
            }
            catch (Exception error) when (error is System.Net.Sockets.SocketException or IOException or ObjectDisposedException)
            {
                // The connection broke under the send; the receive side notices and fails over.
                output.Print($"not sent: {error.Message}");
            }
        }

        await FinishAsync(receiving).ConfigureAwait(false);
        await _client.DisposeAsync().ConfigureAwait(false);
        return _refused ? 1 : 0;
    }

    private async Task<bool> FailOverAsync()
    {
        var lost = nodes.Current;
        var sessionLost = _sessionLost;
        _sessionLost = false;
        await _client.DisposeAsync().ConfigureAwait(false);
        if (!nodes.CanFailOver && !sessionLost)
            return false;

        output.Print(sessionLost ? $"saying HELLO to {lost} again" : $"lost {lost}; trying the other nodes");
        try
        {
            _client = await nodes.ConnectAsync(skipCurrent: !sessionLost, rounds: FailoverRounds).ConfigureAwait(false);
        }
        catch (RelayConnectionException error)
        {
            output.Print(error.Message);
            return false;
        }

        output.Print($"reconnected to {nodes.Current}, your new ID is {_client.Id}");
        await RestoreAsync().ConfigureAwait(false);
        return true;
    }

    /// <summary>After a failover: what the lost connection owed is not coming, and its rooms and watch are set up again.</summary>
    private async Task RestoreAsync()
    {
        foreach (var reference in _awaitingReceipts.Keys.Order(StringComparer.Ordinal))
        {
            if (_awaitingReceipts.TryRemove(reference, out var sent))
                output.Print($"{sent.Label}: no receipt, the connection was lost; it may or may not have arrived");
        }

        // The lost connection's PONGs are not coming either.
        Interlocked.Exchange(ref _userPings, 0);
        var rooms = _rooms.ToList();
        _rooms.Clear();
        try
        {
            foreach (var room in rooms)
                await _client.JoinAsync(room).ConfigureAwait(false);
            if (_watching)
                await _client.WatchAsync(on: true).ConfigureAwait(false);
        }
        catch (Exception error) when (error is System.Net.Sockets.SocketException or IOException or ObjectDisposedException)
        {
            // Lost again: the receiving side notices and fails over once more.
            output.Print($"could not rejoin: {error.Message}");
        }

        _watching = false;
    }

    private async Task<bool> ActAsync(ChatAction action)
    {
        switch (action)
        {
            case ChatAction.Send send:
                await _client.SendAsync(send.Target, send.Text).ConfigureAwait(false);
                return true;
            case ChatAction.SendWithReceipt send:
                await SendWithReceiptAsync(send.Target, send.Text).ConfigureAwait(false);
                return true;
            case ChatAction.Broadcast broadcast:
                await _client.BroadcastAsync(broadcast.Text).ConfigureAwait(false);
                return true;
            case ChatAction.Join join:
                await _client.JoinAsync(join.Room).ConfigureAwait(false);
                return true;
            case ChatAction.Leave leave:
                await _client.LeaveAsync(leave.Room).ConfigureAwait(false);
                return true;
            case ChatAction.RoomMessage message:
                await _client.RoomAsync(message.Room, message.Text).ConfigureAwait(false);
                return true;
            case ChatAction.ListRooms list:
                await _client.RoomsAsync(list.After).ConfigureAwait(false);
                return true;
            case ChatAction.ListMembers list:
                await _client.MembersAsync(list.Room, list.After).ConfigureAwait(false);
                return true;
            case ChatAction.Who who:
                await _client.WhoAsync(who.After).ConfigureAwait(false);
                return true;
            case ChatAction.Watch watch:
                await _client.WatchAsync(watch.On).ConfigureAwait(false);
                return true;
            case ChatAction.Ping:
                Interlocked.Increment(ref _userPings);
                await _client.PingAsync().ConfigureAwait(false);
                return true;
            case ChatAction.Help:
                output.Print(ChatInput.HelpText);
                return true;
            case ChatAction.Continue { Problem: { } problem }:
                _refused = true;
                output.PrintError(problem);
                return true;
            case ChatAction.Quit:
                return false;
            default:
                return true;
        }
    }

    /// <summary><c>/ack</c>: the message goes with a reference of this session's, and its receipt is shown with it.</summary>
    private async Task SendWithReceiptAsync(long target, string text)
    {
        var number = Interlocked.Increment(ref _lastReceipt);
        var reference = "c" + number.ToString(CultureInfo.InvariantCulture);
        // Recorded first: the receipt may come back before the send returns.
        _awaitingReceipts[reference] = new SentWithReceipt(number, target, text);
        try
        {
            await _client.SendWithReceiptAsync(reference, target, text).ConfigureAwait(false);
        }
        catch
        {
            _awaitingReceipts.TryRemove(reference, out _);
            throw;
        }
    }

    private async Task FinishAsync(Task receiving)
    {
        _leaving = true;
        try
        {
            await _client.PingAsync().ConfigureAwait(false);
            await _finalPong.Task.WaitAsync(FinalPingTimeout).ConfigureAwait(false);
            await _client.QuitAsync().ConfigureAwait(false);
            // The server closes once it has sent what is due, receipts included: show them before leaving.
            await receiving.WaitAsync(_awaitingReceipts.IsEmpty ? FinalPingTimeout : ReceiptsAtQuitTimeout).ConfigureAwait(false);
        }
        catch (Exception error) when (error is TimeoutException or System.Net.Sockets.SocketException or IOException or ObjectDisposedException)
        {
            // Leaving anyway.
        }
    }

    private async Task ShowEventsAsync(RelayClient connection)
    {
        try
        {
            await foreach (var relayEvent in connection.ReadAllAsync().ConfigureAwait(false))
            {
                if (relayEvent is PongReceived && !TryCountUserPong() && _leaving)
                {
                    _finalPong.TrySetResult();
                    continue;
                }

                if (relayEvent is SessionLost)
                    _sessionLost = true;
                if (relayEvent is ReconnectRequested)
                    await AnswerReconnectAsync(connection).ConfigureAwait(false);

                var line = Describe(relayEvent);
                if (relayEvent is ErrorReceived or DeliveryFailed)
                {
                    _refused = true;
                    output.PrintError(line);
                }
                else
                {
                    output.Print(line);
                }
            }

            if (!_leaving && !_sessionLost)
                output.Print("the server closed the connection");
        }
        catch (RelayConnectionException error)
        {
            output.Print(error.Message);
        }
    }

    /// <summary>
    /// The node is leaving: QUIT, so that it answers everything sent before and then closes (the
    /// close is what starts the failover); what it still owes is shown as it comes.
    /// </summary>
    private static async Task AnswerReconnectAsync(RelayClient connection)
    {
        try
        {
            await connection.QuitAsync().ConfigureAwait(false);
        }
        catch (Exception error) when (error is System.Net.Sockets.SocketException or IOException or ObjectDisposedException)
        {
            // Closed already: the failover follows all the same.
        }
    }

    /// <summary>True when a PONG answers one of the user's PINGs (and is shown), not the final one.</summary>
    private bool TryCountUserPong()
    {
        var pending = Volatile.Read(ref _userPings);
        while (pending > 0)
        {
            var seen = Interlocked.CompareExchange(ref _userPings, pending - 1, pending);
            if (seen == pending)
                return true;
            pending = seen;
        }

        return false;
    }

    /// <summary>The line shown for an event, noting what the session keeps track of on the way.</summary>
    private string Describe(RelayEvent relayEvent)
    {
        switch (relayEvent)
        {
            case DeliveryConfirmed delivered when _awaitingReceipts.TryRemove(delivered.Reference, out var sent):
                return $"{sent.Label}: delivered";
            case DeliveryFailed failed when _awaitingReceipts.TryRemove(failed.Reference, out var sent):
                return $"{sent.Label}: not delivered: {EventText.Cause(failed)}";
            case CommandConfirmed { Command: "JOIN", Argument: var room }:
                _rooms.Add(room);
                break;
            case CommandConfirmed { Command: "LEAVE", Argument: var room }:
                _rooms.Remove(room);
                break;
            case CommandConfirmed { Command: "WATCH", Argument: var on }:
                _watching = on == "ON";
                break;
        }

        return EventText.Of(relayEvent);
    }

    /// <summary>A message sent with <c>/ack</c>, as its receipt refers to it.</summary>
    private sealed record SentWithReceipt(long Number, long Target, string Text)
    {
        /// <summary>E.g. <c>#3 to 7 "hello"</c>.</summary>
        public string Label => $"#{Number} to {Target} \"{(Text.Length <= QuotedLength ? Text : Text[..(QuotedLength - 1)] + "…")}\"";
    }
}
