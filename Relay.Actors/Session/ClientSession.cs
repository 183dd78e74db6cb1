using System.Diagnostics;
using Akka.Actor;
using Akka.Event;
using Relay.Actors.Fanout;
using Relay.Actors.Ids;
using Relay.Actors.Metrics;
using Relay.Actors.Registry;
using Relay.Protocol;

namespace Relay.Actors.Session;

/// <summary>
/// One client's conversation with the node, whatever carries it: lines in, routing decisions and
/// replies out, barriers, closing, the partial-line rule and the slow-consumer rule. It knows
/// nothing of sockets; a transport actor feeds it input and events and carries out what it asks
/// (<see cref="ISessionTransport"/>).
/// </summary>
/// <remarks>
/// Every entry point ends in <see cref="Settle"/>, the one place where output leaves for the
/// transport, where the bound on queued bytes is enforced, where the connection closes once its
/// last line is out, and where more input is asked for. Nothing else writes, closes or reads, so
/// no path can leave a reply unsent, a close undone or reading paused for good.
/// Input is pulled: the next chunk is asked for only when the previous one was handled, nothing
/// waits for a majority read, fewer than <see cref="ConnectionSettings.PauseReadingAboveBytes"/>
/// are queued for the client, and other nodes have confirmed all but the last window of what was
/// sent to them; so one client's input can never outrun what the cluster does with it.
/// States: Registering → Relaying → Draining (QUIT or end of input) → Closing → Closed.
/// Not thread-safe: driven by one actor.
/// </remarks>
public sealed partial class ClientSession : ILineSink, IDisposable
{
    private readonly IActorRef _self;
    private readonly string _peer;
    private readonly NodeServices _services;
    private readonly ConnectionSettings _settings;
    private readonly ISessionTransport _transport;
    private readonly ISessionTimers _timers;
    private readonly ILoggingAdapter _log;
    private readonly LineFramer _framer;
    private readonly SessionOutput _output;
    private readonly InputAllowance _allowance;
    private bool _allowanceTimerRunning;

    private SessionState _state = SessionState.Registering;
    private long _clientId;
    private bool _inputRequested;
    private long _partialLineTimerStarted;
    private bool _partialLineExtended;
    private bool _terminatesLines;
    private bool _inputEnded;
    // Counted as lines are handled, published once per event (Settle) to the node's counters.
    private int _sentOneToOne;
    private int _sentBroadcasts;
    private int _sentRoomMessages;
    private int _delivered;
    // The client has sent a line that is not blank: from then on it is never timed out for silence.
    private bool _spoken;

    /// <summary>Creates the session of the client served by <paramref name="self"/>.</summary>
    /// <param name="self">The transport actor: deliveries and replies for this client are sent to it.</param>
    /// <param name="peer">Who the client is: its remote address, for log lines and the dashboard.</param>
    /// <param name="carrier">What carries the session.</param>
    /// <param name="services">The node's registry, id pool and routing table.</param>
    /// <param name="settings">Per-connection limits.</param>
    /// <param name="transport">Carries out writes, reads and closes.</param>
    /// <param name="timers">Runs the session's timers.</param>
    /// <param name="log">Where warnings about this client go.</param>
    public ClientSession(
        IActorRef self, string peer, ClientTransport carrier, NodeServices services, ConnectionSettings settings,
        ISessionTransport transport, ISessionTimers timers, ILoggingAdapter log)
    {
        Activity = new ClientActivity(carrier, peer);
        _self = self;
        _peer = peer;
        _services = services;
        _settings = settings;
        _transport = transport;
        _timers = timers;
        _log = log;
        _framer = new LineFramer(settings.MaxLineBytes);
        _output = new SessionOutput(new ClientInbox(self, settings.MaxOutboundBytes, Activity));
        _allowance = new InputAllowance(settings);
    }

    /// <summary>How the client is connected and what it has sent and received.</summary>
    public ClientActivity Activity { get; }

    /// <summary>Where the session is in its life.</summary>
    public SessionState State => _state;

    /// <summary>Bytes queued for the client and not yet taken by the transport.</summary>
    public long QueuedBytes => _output.QueuedBytes;

    /// <summary>
    /// Deliveries senders reserved room for have not all reached the session yet: the transport's
    /// actor must live until they have, or a receipted line among them would be lost unanswered.
    /// </summary>
    public bool AwaitsDeliveries => _output.ReservedNotArrived > 0;

    /// <summary>Asks for an id; YOUR_ID goes out once the id's location record exists.</summary>
    public void Start()
    {
        if (_settings.Auth.Required)
        {
            // The token comes first; the id only after it (see ClientSession.Auth.cs).
            _state = SessionState.Authenticating;
            _timers.Start(SessionTimer.Register, _settings.RegisterTimeout);
            Settle();
            return;
        }

        RequestId();
    }

    private void RequestId()
    {
        _services.IdPool.Tell(new AssignId(_self));
        _timers.Start(SessionTimer.Register, _settings.RegisterTimeout);
    }

    /// <summary>The chunk of input the session asked for.</summary>
    public void OnInput(ReadOnlySpan<byte> chunk)
    {
        _inputRequested = false;
        _timers.Cancel(SessionTimer.PartialLine);
        _services.Counters.AddBytesIn(chunk.Length);
        if (_state is SessionState.Relaying or SessionState.Authenticating)
        {
            if (_dialect == Dialect.Undecided)
                ChooseDialect(chunk);
            _terminatesLines = _terminatesLines || chunk.Contains(Wire.LineFeed);
            // Counted as read, not as lines end: the bytes of a line too long to relay are skipped,
            // never part of a line, and cost reading them all the same.
            _allowance.Read(chunk.Length);
            _framer.Feed(chunk, this);
        }

        Settle();
    }

    /// <summary>The client will send nothing more (it half-closed, or the stream ended).</summary>
    public void OnEndOfInput()
    {
        _inputRequested = false;
        _timers.Cancel(SessionTimer.PartialLine);
        if (_state is SessionState.Registering or SessionState.Authenticating)
        {
            Abort();
            return;
        }

        if (_state == SessionState.Relaying)
        {
            _inputEnded = true;
            FinishInput();
        }

        Settle();
    }

    /// <summary>The transport took the write in flight.</summary>
    public void OnWriteCompleted()
    {
        _output.WriteCompleted();
        SendOwedReceipts();
        Settle();
    }

    /// <summary>
    /// The connection is closed, whichever side closed it: nothing more can be read or written.
    /// Deliveries still on their way are answered as for a client that left (<see cref="AwaitsDeliveries"/>).
    /// </summary>
    public void OnTransportClosed() => Shutdown();

    /// <summary>The transport refused a command (its write queue is full, or the socket failed).</summary>
    public void OnTransportFailed(object command)
    {
        if (_state == SessionState.Closed)
            return;
        _log.Warning("Client {0} at {1}: the transport refused {2}; disconnecting it", _clientId, _peer, command);
        Abort();
    }

    /// <summary>
    /// Handles a message addressed to this client's actor: deliveries, routing answers, barrier
    /// echoes, timers, node leave. False for anything that is not the session's.
    /// </summary>
    public bool Handle(object message)
    {
        switch (message)
        {
            case RelayedLines lines:
                OnRelayedLines(lines);
                break;
            case RelayEnvelope envelope:
                OnEnvelope(envelope);
                break;
            case FanoutLines lines:
                OnFanoutLines(lines);
                break;
            case AckedEnvelope acked:
                OnAckedEnvelope(acked);
                break;
            case ReceiptDelivered delivered:
                OnReceiptDelivered(delivered.ReceiptId);
                break;
            case ReceiptFailed failed:
                OnReceiptFailed(failed.ReceiptId, failed.Cause);
                break;
            case UnknownTarget unknown:
                if (IsAnswering)
                    ServerLines.UnknownTarget(Refuse(ErrorCode.UnknownTarget), unknown.TargetId);
                break;
            case BlockBarrier barrier:
                _barriers.Echoed(barrier.Token);
                CompleteBarriers();
                break;
            case BlockResolved:
                ReleaseHeld();
                break;
            case SessionTimerFired fired:
                OnTimer(fired.Timer);
                break;
            case IdAssigned assigned:
                OnIdAssigned(assigned.ClientId);
                break;
            case ClientRegistered:
                OnRegistered();
                break;
            case NodeLeaving:
                Leave();
                break;
            case InboxOverflowed:
                DisconnectSlowConsumer();
                break;
            default:
                return false;
        }

        Settle();
        return true;
    }

    /// <summary>Returns pooled buffers; the session is unusable afterwards.</summary>
    public void Dispose()
    {
        Shutdown();
        _framer.Dispose();
        _translated.Dispose();
        _output.Dispose();
    }

    void ILineSink.OnLine(ReadOnlySpan<byte> line)
    {
        if (_state == SessionState.Authenticating && _dialect != Dialect.Undecided)
        {
            Authenticate(line);
            return;
        }

        if (_state != SessionState.Relaying)
            return;

        _allowance.TakeLine();
        if (_dialect == Dialect.Json)
            OnJsonLine(line);
        else if (_dialect == Dialect.Text)
            Execute(CommandParser.Parse(line));
        // Undecided: the client sent only blanks so far (its reads held no other byte): nothing to answer.

        if (!_spoken && _dialect != Dialect.Undecided && line.IndexOfAnyExcept(" \t"u8) >= 0)
            Spoke();
    }

    /// <summary>Carries out one command, whichever protocol it came in.</summary>
    private void Execute(ClientCommand command)
    {
        switch (command.Kind)
        {
            case CommandKind.To:
                _sentOneToOne++;
                Relay(command.TargetId, command.Payload);
                break;
            case CommandKind.ToAck:
                _sentOneToOne++;
                RelayWithReceipt(command.Name, command.TargetId, command.Payload);
                break;
            case CommandKind.All:
                _sentBroadcasts++;
                Publish(default, command.Payload);
                break;
            case CommandKind.Room:
                _sentRoomMessages++;
                Publish(command.Name, command.Payload);
                break;
            case CommandKind.Join:
                JoinRoom(command.Name);
                break;
            case CommandKind.Leave:
                LeaveRoom(command.Name);
                break;
            case CommandKind.Rooms:
                ListRooms(command.Name);
                break;
            case CommandKind.Members:
                ListMembers(command.Name, command.Number);
                break;
            case CommandKind.Who:
                ListOnline(command.Number);
                break;
            case CommandKind.Watch:
                Watch(command.Number == 1);
                break;
            case CommandKind.Ping:
                StartBarrier(BarrierPurpose.Ping);
                break;
            case CommandKind.Quit:
                BeginDraining();
                break;
            case CommandKind.Hello:
                ServerLines.YourId(_output.Replies, _clientId);
                break;
            case CommandKind.Invalid when command.Refused == CommandKind.ToAck && !command.Name.IsEmpty:
                RefuseReceipt(command.Name, command.Error);
                break;
            case CommandKind.Invalid:
                ServerLines.Invalid(Refuse(command.Error), command.Error, command.Refused);
                break;
            case CommandKind.Empty:
                break;
        }
    }

    void ILineSink.OnLineTooLong()
    {
        if (_state == SessionState.Authenticating)
        {
            RefuseUnauthenticated(ErrorCode.AuthRequired);
            return;
        }

        if (_state != SessionState.Relaying)
            return;
        ServerLines.TooLong(Refuse(ErrorCode.TooLong), _settings.MaxLineBytes);
        Spoke();
    }

    private void Spoke()
    {
        _spoken = true;
        _timers.Cancel(SessionTimer.Idle);
    }

    /// <summary>
    /// The rest of a read waits while the client's queued output is over the pause threshold (or it
    /// awaits the most receipts it may): one read of list requests (WHO, ROOMS) can ask for
    /// megabytes of replies, and they must not all be queued at once.
    /// </summary>
    bool ILineSink.IsFull => _state switch
    {
        SessionState.Relaying => !CanTakeMore,
        // What came with the token waits, unread, until the client has its id.
        SessionState.Registering => _settings.Auth.Required,
        _ => false,
    };

    /// <summary>The client's queued output, awaited receipts and allowance leave room for more of its lines.</summary>
    private bool CanTakeMore => HasRoom && _allowance.IsLeft;

    /// <summary>The client's queued output and awaited receipts leave room for more of its lines.</summary>
    private bool HasRoom => _output.QueuedBytes <= _settings.PauseReadingAboveBytes && _receipts.Count < _settings.MaxPendingReceipts;

    /// <summary>The client sent its last byte: once every line read is handled, drain and close.</summary>
    private void FinishInput()
    {
        if (!_inputEnded || _state != SessionState.Relaying || _framer.HasUnread)
            return;
        // The seed's client may end its last message with no newline and close at once.
        _framer.CompletePartialLine(this);
        if (_state == SessionState.Relaying)
            BeginDraining();
    }

    /// <summary>Replies are still owed to the client: it is relaying, or draining towards its close.</summary>
    private bool IsAnswering => _state is SessionState.Relaying or SessionState.Draining;

    /// <summary>
    /// The one way out. Sends what the last event batched or wrote, enforces the bound on queued
    /// bytes, closes once a closing session's last byte is out, and asks for more input when the
    /// session can take it.
    /// </summary>
    private void Settle()
    {
        if (_state == SessionState.Closed)
            return;

        PublishCounts();
        _output.Flush();
        DeliverBatches();
        var othersKeepUp = _state == SessionState.Relaying && ConfirmRemoteLines();
        if (_output.QueuedBytes > _settings.MaxOutboundBytes)
        {
            DisconnectSlowConsumer();
            return;
        }

        if (_output.TakeNextWrite() is { } write)
        {
            _services.Counters.AddBytesOut(write.Count);
            _transport.Write(write);
        }

        if (_state == SessionState.Draining && _drained && _output.QueuedBytes == 0 && _receipts.Count == 0)
        {
            // Every line was answered, every delivery reserved before the client quit has arrived
            // and is out, and so are the receipts it awaited (or their timeout).
            _timers.Cancel(SessionTimer.Drain);
            _state = SessionState.Closing;
        }

        if (_state == SessionState.Closing)
        {
            if (_output.IsEmpty)
            {
                Shutdown();
                _transport.Close();
            }

            return;
        }

        if (_state == SessionState.Authenticating)
        {
            // Only the token is read before the client has an id (the register timer bounds the wait).
            if (!_inputRequested)
            {
                _inputRequested = true;
                _transport.RequestInput();
            }

            return;
        }

        // One look at the allowance decides both whether to read on and whether to wait for it to
        // refill: it refills with the clock, and a second look could find it refilled after the
        // first found it empty, leaving reading paused with no timer to resume it.
        var allowanceLeft = _allowance.IsLeft;
        if (_state == SessionState.Relaying && !_inputRequested && _held.Count == 0 && othersKeepUp && HasRoom && allowanceLeft)
        {
            if (_framer.HasUnread)
            {
                // The rest of the last read waited for room for its replies: it goes first.
                _framer.FeedUnread(this);
                FinishInput();
                Settle();
                return;
            }

            if (_inputEnded)
                return;

            _inputRequested = true;
            _translated.Clear();
            _output.ReleaseStaging();
            _transport.RequestInput();
            // The partial-line rule is for clients that never end their lines (the seed's). It
            // measures the client's silence only: the timer runs while the node waits for input,
            // never while the node itself holds reading back. A client that ends its lines gets
            // every line whole, however long the node takes to read the rest.
            if (!_terminatesLines && _dialect != Dialect.Json && _framer.HasPartialLine)
                StartPartialLineTimer();
        }
        else if (_state == SessionState.Relaying && !_inputRequested && !_allowanceTimerRunning && !allowanceLeft)
        {
            // The client sent its allowance: read on once it has refilled.
            _allowanceTimerRunning = true;
            _timers.Start(SessionTimer.Allowance, _allowance.UntilLeft);
        }
    }

    private void OnIdAssigned(long clientId)
    {
        if (_state != SessionState.Registering)
            return;
        _clientId = clientId;
        _services.Registry.Tell(new RegisterClient(clientId, _self));
    }

    private void OnRegistered()
    {
        if (_state != SessionState.Registering)
            return;
        _timers.Cancel(SessionTimer.Register);
        _services.Local.Add(_clientId, _output.Inbox);
        _services.Counters.CountConnected(Activity.Transport);
        GoOnline();
        ServerLines.YourId(_output.Replies, _clientId);
        _state = SessionState.Relaying;
        // A UDP session has no connection to hold: relay.udp.idle-timeout ends it on any silence.
        if (_settings.IdleTimeout is { } idle && !OverDatagrams)
            _timers.Start(SessionTimer.Idle, idle);
    }

    private void OnRelayedLines(RelayedLines lines)
    {
        if (IsAnswering)
        {
            var delivered = lines.Buffer.AsSpan(0, lines.Length);
            _delivered += delivered.Count(Wire.LineFeed);
            _output.Deliver(delivered);
        }
        else
        {
            _output.Inbox.Release(lines.Length);
        }

        lines.Return();
    }

    private void OnEnvelope(RelayEnvelope envelope)
    {
        if (IsAnswering)
        {
            _delivered++;
            ServerLines.From(_output.Delivered, envelope.SenderId, envelope.Payload);
        }
        else
        {
            _output.Inbox.Release(ServerLines.FromLength(envelope.SenderId, envelope.Payload.Length));
        }
    }

    private void OnTimer(SessionTimer timer)
    {
        switch (timer)
        {
            case SessionTimer.Register when _state == SessionState.Authenticating:
                RefuseUnauthenticated(ErrorCode.AuthRequired);
                break;
            case SessionTimer.Register when _state == SessionState.Registering:
                _log.Warning("Client at {0} got no id within relay.connection.register-timeout; is the cluster up? Closing it", _peer);
                Abort();
                break;
            case SessionTimer.PartialLine when _state == SessionState.Relaying && _inputRequested:
                // A timer far later than asked means this node stalled (GC, a starved thread
                // pool), and the rest of the line may be waiting unread: give the client its
                // full quiet time once more rather than cut its line.
                if (!_partialLineExtended && Stopwatch.GetElapsedTime(_partialLineTimerStarted) > 2 * _settings.PartialLineTimeout)
                {
                    StartPartialLineTimer();
                    _partialLineExtended = true;
                }
                else
                {
                    _framer.CompletePartialLine(this);
                }

                break;
            case SessionTimer.Receipts:
                ExpireReceipts();
                break;
            case SessionTimer.Allowance:
                // Settle, after this, reads on (or waits again for what is still missing).
                _allowanceTimerRunning = false;
                break;
            case SessionTimer.Drain when _state == SessionState.Draining:
                // A client that quit and does not read keeps its output queued: that is no fault
                // of the node's, and the close simply follows its last byte, as ever.
                if (_output.ReservedNotArrived > 0)
                    _log.Warning("Client {0}: {1} bytes reserved for it never arrived; closing it anyway", _clientId, _output.ReservedNotArrived);
                _state = SessionState.Closing;
                break;
            case SessionTimer.ReconnectGrace when _state is SessionState.Relaying or SessionState.Draining:
                CloseAfterReconnect();
                break;
            case SessionTimer.Idle when _state == SessionState.Relaying && !_spoken:
                // Only the client's silence counts: while the node itself holds reading back (its
                // replies unread, its rate limit, a majority read), its first line may be waiting
                // unread, and it gets the full time again.
                if (_inputRequested)
                    CloseIdle();
                else
                    _timers.Start(SessionTimer.Idle, _settings.IdleTimeout!.Value);
                break;
            case SessionTimer.Barrier:
                _log.Debug("Client {0}: a barrier was not echoed in time; answering without it", _clientId);
                _barriers.ExpireOldest();
                CompleteBarriers();
                break;
        }
    }

    /// <summary>Counts an error line about to be written and returns where it goes.</summary>
    private System.Buffers.IBufferWriter<byte> Refuse(ErrorCode code)
    {
        _services.Counters.CountError(code);
        return _output.Replies;
    }

    private void PublishCounts()
    {
        if ((_sentOneToOne | _sentBroadcasts | _sentRoomMessages) != 0)
        {
            _services.Counters.AddSent(_sentOneToOne, _sentBroadcasts, _sentRoomMessages);
            Activity.AddIn(_sentOneToOne + _sentBroadcasts + _sentRoomMessages);
            _sentOneToOne = _sentBroadcasts = _sentRoomMessages = 0;
        }

        if (_delivered != 0)
        {
            _services.Counters.AddDelivered(_delivered);
            Activity.AddOut(_delivered);
            _delivered = 0;
        }
    }

    private void StartPartialLineTimer()
    {
        _partialLineExtended = false;
        _partialLineTimerStarted = Stopwatch.GetTimestamp();
        _timers.Start(SessionTimer.PartialLine, _settings.PartialLineTimeout);
    }
}
