using System.Buffers;
using System.Net;
using Akka.Actor;
using Akka.Event;
using Relay.Actors.Ids;
using Relay.Actors.Registry;
using Route = Relay.Actors.Registry.Route;
using Relay.Protocol;
using TcpMessage = Akka.IO.Tcp;

namespace Relay.Actors.Tcp;

/// <summary>
/// Owns one client socket: frames and parses what it sends, routes it through the sharded
/// registry, and writes what is relayed to it. States: Registering → Relaying → Draining → Closing.
/// </summary>
/// <remarks>
/// Reading is in pull mode: the next chunk is asked for only after the last one was handled, so a
/// fast sender cannot fill this actor's mailbox. Writing keeps one acknowledged write in flight and
/// coalesces everything else (<see cref="OutboundBuffer"/>); a client that stops reading is
/// disconnected once <see cref="ConnectionSettings.MaxOutboundBytes"/> are queued for it.
/// Routing decisions come from the node's lock-free <see cref="RoutingTable"/>; an envelope for a
/// block this node has not heard of yet is held, with everything after it (order matters), while
/// a majority is asked, and reading pauses meanwhile.
/// </remarks>
internal sealed partial class ConnectionActor : ReceiveActor, IWithTimers, ILineSink
{
    private const string PartialLineTimer = "partial-line";
    private const string BarrierTimer = "barrier";
    private const string RegisterTimer = "register";

    private readonly IActorRef _connection;
    private readonly EndPoint _remote;
    private readonly NodeServices _services;
    private readonly ConnectionSettings _settings;
    private readonly LineFramer _framer;
    private readonly OutboundBuffer _outbound = new();
    private readonly BarrierQueue _barriers = new();
    private readonly Queue<object> _held = new();
    private readonly LineBatch _localLines = new();
    private readonly BlockBatches _remoteLines = new();
    private readonly ILoggingAdapter _log = Context.GetLogger();

    private long _clientId;
    private bool _stopReading;
    private bool _readingPaused;

    public ConnectionActor(IActorRef connection, EndPoint remote, NodeServices services, ConnectionSettings settings)
    {
        _connection = connection;
        _remote = remote;
        _services = services;
        _settings = settings;
        _framer = new LineFramer(settings.MaxLineBytes);
        Registering();
    }

    /// <summary>Set by Akka before PreStart.</summary>
    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>Props for the actor that serves the socket behind <paramref name="connection"/>.</summary>
    public static Props Props(IActorRef connection, EndPoint remote, NodeServices services, ConnectionSettings settings) =>
        Akka.Actor.Props.Create(() => new ConnectionActor(connection, remote, services, settings));

    protected override void PreStart()
    {
        // keepOpenOnPeerClosed: a client that half-closes after its last line (printf … | nc -q1)
        // still gets the replies to it.
        _connection.Tell(new TcpMessage.Register(Self, keepOpenOnPeerClosed: true));
        _services.IdPool.Tell(new AssignId(Self));
        Timers.StartSingleTimer(RegisterTimer, RegistrationTimedOut.Instance, _settings.RegisterTimeout);
    }

    protected override void PostStop()
    {
        if (_clientId != 0)
            _services.Local.Remove(_clientId);
        _framer.Dispose();
        _outbound.Dispose();
        _log.Debug("Client {0} at {1} disconnected", _clientId, _remote);
    }

    private void Registering()
    {
        Receive<IdAssigned>(assigned =>
        {
            _clientId = assigned.ClientId;
            _services.Registry.Tell(new RegisterClient(_clientId, Self));
        });
        Receive<ClientRegistered>(_ =>
        {
            Timers.Cancel(RegisterTimer);
            _services.Local.Add(_clientId, Self);
            ServerLines.YourId(_outbound, _clientId);
            Flush();
            _connection.Tell(TcpMessage.ResumeReading.Instance);
            Become(Relaying);
        });
        Receive<RegistrationTimedOut>(_ =>
        {
            _log.Warning("Client at {0} got no id within relay.connection.register-timeout; is the cluster up? Closing it", _remote);
            Abort();
        });
        Receive<TcpMessage.PeerClosed>(_ => Context.Stop(Self));
        Receive<NodeLeaving>(_ => Context.Stop(Self));
        ReceiveClosed();
    }

    private void Relaying()
    {
        Receive<RelayedLines>(HandleRelayedLines);
        Receive<RelayEnvelope>(HandleEnvelope);
        Receive<TcpMessage.Received>(HandleReceived);
        Receive<WriteAcknowledged>(_ => HandleWriteAcknowledged());
        ReceiveReplies();
        Receive<PartialLineTimedOut>(_ => HandlePartialLineTimedOut());
        Receive<TcpMessage.PeerClosed>(_ =>
        {
            // The seed's client may end its last message with no newline and close at once.
            _framer.CompletePartialLine(this);
            DeliverBatches();
            BeginDraining();
            Flush();
        });
        Receive<NodeLeaving>(_ => Leave());
        ReceiveWriteFailed();
        ReceiveClosed();
    }

    /// <summary>No more input: let the replies to what was read arrive, send them, then close.</summary>
    private void Draining()
    {
        ReceiveReplies();
        Receive<WriteAcknowledged>(_ => HandleWriteAcknowledged());
        // The client is leaving; what others send it now is dropped like mail to a departed client.
        Receive<RelayEnvelope>(_ => { });
        Receive<RelayedLines>(lines => ArrayPool<byte>.Shared.Return(lines.Buffer));
        Receive<TcpMessage.Received>(_ => { });
        Receive<TcpMessage.PeerClosed>(_ => { });
        Receive<PartialLineTimedOut>(_ => { });
        Receive<NodeLeaving>(_ => Leave());
        ReceiveWriteFailed();
        ReceiveClosed();
    }

    private void AwaitingLastWrite()
    {
        Receive<WriteAcknowledged>(_ =>
        {
            _outbound.WriteCompleted();
            Flush();
            CloseWhenFlushed();
        });
        ReceiveWriteFailed();
        ReceiveClosed();
        ReceiveAny(_ => { });
    }

    private void Closing()
    {
        ReceiveClosed();
        ReceiveAny(_ => { });
    }

    /// <summary>Answers from the registry and the lease directory, in every state that waits for them.</summary>
    private void ReceiveReplies()
    {
        Receive<UnknownTarget>(unknown =>
        {
            ServerLines.UnknownTarget(_outbound, unknown.TargetId);
            Flush();
        });
        Receive<BlockBarrier>(barrier =>
        {
            _barriers.Echoed(barrier.Token);
            CompleteBarriers();
        });
        Receive<BarrierTimedOut>(_ =>
        {
            _log.Debug("Client {0}: a barrier was not echoed in time; answering without it", _clientId);
            _barriers.ExpireOldest();
            CompleteBarriers();
        });
        Receive<BlockResolved>(resolved => ReleaseHeld(resolved.Block));
    }

    private void HandleReceived(TcpMessage.Received received)
    {
        _framer.Feed(received.Data.ToReadOnlySpan(), this);
        DeliverBatches();
        if (_stopReading)
            return;

        if (_framer.HasPartialLine)
            Timers.StartSingleTimer(PartialLineTimer, PartialLineTimedOut.Instance, _settings.PartialLineTimeout);
        else
            Timers.Cancel(PartialLineTimer);

        Flush();
        if (_held.Count == 0)
            _connection.Tell(TcpMessage.ResumeReading.Instance);
        else
            _readingPaused = true;
    }

    private void HandleEnvelope(RelayEnvelope envelope)
    {
        ServerLines.From(_outbound, envelope.SenderId, envelope.Payload);
        QueuedForClient();
    }

    private void HandleRelayedLines(RelayedLines lines)
    {
        lines.Buffer.AsSpan(0, lines.Length).CopyTo(_outbound.GetSpan(lines.Length));
        _outbound.Advance(lines.Length);
        ArrayPool<byte>.Shared.Return(lines.Buffer);
        QueuedForClient();
    }

    private void QueuedForClient()
    {
        if (_outbound.PendingBytes > _settings.MaxOutboundBytes)
        {
            _log.Warning(
                "Client {0} at {1} is not reading: {2} bytes queued for it, over relay.connection.max-outbound-bytes ({3}); disconnecting it",
                _clientId, _remote, _outbound.PendingBytes, _settings.MaxOutboundBytes);
            Abort();
            return;
        }

        Flush();
    }

    private void HandleWriteAcknowledged()
    {
        _outbound.WriteCompleted();
        Flush();
    }

    private void HandlePartialLineTimedOut()
    {
        _framer.CompletePartialLine(this);
        DeliverBatches();
        Flush();
    }

    void ILineSink.OnLine(ReadOnlySpan<byte> line)
    {
        if (_stopReading)
            return;

        var command = CommandParser.Parse(line);
        switch (command.Kind)
        {
            case CommandKind.To:
                Relay(command.TargetId, command.Payload);
                break;
            case CommandKind.Ping:
                StartBarrier(BarrierPurpose.Ping);
                break;
            case CommandKind.Quit:
                BeginDraining();
                break;
            case CommandKind.Invalid:
                ServerLines.Error(_outbound, command.Error);
                break;
            case CommandKind.Empty:
                break;
        }
    }

    void ILineSink.OnLineTooLong()
    {
        if (!_stopReading)
            ServerLines.TooLong(_outbound, _settings.MaxLineBytes);
    }

    /// <summary>What one chunk relayed goes out now: one message per local target, one per remote block.</summary>
    private void DeliverBatches()
    {
        _localLines.Deliver();
        _remoteLines.Deliver(_services.Registry, _clientId, Self);
    }

    private void BeginDraining()
    {
        _stopReading = true;
        Timers.Cancel(PartialLineTimer);
        Become(Draining);
        StartBarrier(BarrierPurpose.Drain);
    }

    private void Leave()
    {
        _stopReading = true;
        ServerLines.Reconnect(_outbound);
        Flush();
        Become(AwaitingLastWrite);
        CloseWhenFlushed();
    }

    private void CloseWhenFlushed()
    {
        if (!_outbound.IsEmpty)
            return;

        _connection.Tell(TcpMessage.Close.Instance);
        Become(Closing);
    }

    private void Flush()
    {
        var next = _outbound.TakeNextWrite();
        if (next is not null)
            _connection.Tell(TcpMessage.Write.Create(next, WriteAcknowledged.Instance));
    }

    private void Abort()
    {
        _stopReading = true;
        _connection.Tell(TcpMessage.Abort.Instance);
        Become(Closing);
    }

    private void ReceiveWriteFailed() =>
        Receive<TcpMessage.CommandFailed>(failed =>
        {
            _log.Warning("Client {0} at {1}: socket refused {2}; disconnecting it", _clientId, _remote, failed.Cmd);
            Abort();
        });

    private void ReceiveClosed() => Receive<TcpMessage.ConnectionClosed>(_ => Context.Stop(Self));

    /// <summary>The socket took the last write; the next may go.</summary>
    private sealed class WriteAcknowledged : TcpMessage.Event
    {
        public static readonly WriteAcknowledged Instance = new();
    }

    /// <summary>No bytes arrived for <see cref="ConnectionSettings.PartialLineTimeout"/> while a line was open.</summary>
    private sealed record PartialLineTimedOut
    {
        public static readonly PartialLineTimedOut Instance = new();
    }

    /// <summary>The oldest barrier waited <see cref="ConnectionSettings.BarrierTimeout"/>.</summary>
    private sealed record BarrierTimedOut
    {
        public static readonly BarrierTimedOut Instance = new();
    }

    /// <summary>No id and location record within <see cref="ConnectionSettings.RegisterTimeout"/>.</summary>
    private sealed record RegistrationTimedOut
    {
        public static readonly RegistrationTimedOut Instance = new();
    }
}
