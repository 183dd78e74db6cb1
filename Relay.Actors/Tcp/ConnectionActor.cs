using System.Net;
using Akka.Actor;
using Akka.Event;
using Akka.IO;
using Relay.Actors.Registry;
using Relay.Protocol;
using TcpMessage = Akka.IO.Tcp;

namespace Relay.Actors.Tcp;

/// <summary>
/// Owns one client socket: frames and parses what it sends, relays through the registry, and
/// writes what is relayed to it. States: Registering → Relaying → Draining → Closing.
/// </summary>
/// <remarks>
/// Reading is in pull mode: the next chunk is asked for only after the last one was handled, so a
/// fast sender cannot fill this actor's mailbox. Writing keeps one acknowledged write in flight and
/// coalesces everything else (<see cref="OutboundBuffer"/>); a client that stops reading is
/// disconnected once <see cref="ConnectionSettings.MaxOutboundBytes"/> are queued for it.
/// </remarks>
internal sealed class ConnectionActor : ReceiveActor, IWithTimers, ILineSink
{
    private const string PartialLineTimer = "partial-line";

    private readonly IActorRef _connection;
    private readonly EndPoint _remote;
    private readonly IActorRef _registry;
    private readonly ConnectionSettings _settings;
    private readonly LineFramer _framer;
    private readonly OutboundBuffer _outbound = new();
    private readonly ILoggingAdapter _log = Context.GetLogger();

    private long _clientId;
    private bool _stopReading;

    public ConnectionActor(IActorRef connection, EndPoint remote, IActorRef registry, ConnectionSettings settings)
    {
        _connection = connection;
        _remote = remote;
        _registry = registry;
        _settings = settings;
        _framer = new LineFramer(settings.MaxLineBytes);
        Registering();
    }

    /// <summary>Set by Akka before PreStart.</summary>
    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>Props for the actor that serves the socket behind <paramref name="connection"/>.</summary>
    public static Props Props(IActorRef connection, EndPoint remote, IActorRef registry, ConnectionSettings settings) =>
        Akka.Actor.Props.Create(() => new ConnectionActor(connection, remote, registry, settings));

    protected override void PreStart()
    {
        // keepOpenOnPeerClosed: a client that half-closes after its last line (printf … | nc -q1)
        // still gets the replies to it.
        _connection.Tell(new TcpMessage.Register(Self, keepOpenOnPeerClosed: true));
        _registry.Tell(new RegisterClient(Self));
    }

    protected override void PostStop()
    {
        _framer.Dispose();
        _outbound.Dispose();
        _log.Debug("Client {0} at {1} disconnected", _clientId, _remote);
    }

    private void Registering()
    {
        Receive<ClientRegistered>(registered =>
        {
            _clientId = registered.ClientId;
            ServerLines.YourId(_outbound, _clientId);
            Flush();
            _connection.Tell(TcpMessage.ResumeReading.Instance);
            Become(Relaying);
        });
        Receive<TcpMessage.PeerClosed>(_ => BeginDraining());
        ReceiveClosed();
    }

    private void Relaying()
    {
        Receive<RelayEnvelope>(HandleEnvelope);
        Receive<TcpMessage.Received>(HandleReceived);
        Receive<WriteAcknowledged>(_ => HandleWriteAcknowledged());
        Receive<UnknownTarget>(HandleUnknownTarget);
        Receive<RoutingBarrier>(_ => HandlePong());
        Receive<PartialLineTimedOut>(_ => HandlePartialLineTimedOut());
        Receive<TcpMessage.PeerClosed>(_ =>
        {
            // The seed's client may end its last message with no newline and close at once.
            _framer.CompletePartialLine(this);
            BeginDraining();
        });
        ReceiveWriteFailed();
        ReceiveClosed();
    }

    /// <summary>No more input: let the replies to what was read arrive, send them, then close.</summary>
    private void Draining()
    {
        Receive<UnknownTarget>(HandleUnknownTarget);
        Receive<RoutingBarrier>(barrier =>
        {
            if (barrier.Purpose == BarrierPurpose.Ping)
            {
                HandlePong();
                return;
            }

            Become(AwaitingLastWrite);
            CloseWhenFlushed();
        });
        Receive<WriteAcknowledged>(_ => HandleWriteAcknowledged());
        // The client is leaving; what others send it now is dropped like mail to a departed client.
        Receive<RelayEnvelope>(_ => { });
        Receive<TcpMessage.Received>(_ => { });
        Receive<TcpMessage.PeerClosed>(_ => { });
        Receive<ClientRegistered>(registered => _clientId = registered.ClientId);
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
        ReceiveClosed();
        ReceiveAny(_ => { });
    }

    private void Closing()
    {
        ReceiveClosed();
        ReceiveAny(_ => { });
    }

    private void HandleReceived(TcpMessage.Received received)
    {
        _framer.Feed(received.Data.ToReadOnlySpan(), this);
        if (_stopReading)
            return;

        if (_framer.HasPartialLine)
            Timers.StartSingleTimer(PartialLineTimer, PartialLineTimedOut.Instance, _settings.PartialLineTimeout);
        else
            Timers.Cancel(PartialLineTimer);

        Flush();
        _connection.Tell(TcpMessage.ResumeReading.Instance);
    }

    private void HandleEnvelope(RelayEnvelope envelope)
    {
        ServerLines.From(_outbound, envelope.SenderId, envelope.Payload);
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
                _registry.Tell(new RelayEnvelope(_clientId, command.TargetId, command.Payload.ToArray()));
                break;
            case CommandKind.Ping:
                _registry.Tell(RoutingBarrier.Ping);
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

    private void BeginDraining()
    {
        _stopReading = true;
        Timers.Cancel(PartialLineTimer);
        // The barrier returns after the registry has answered every envelope this client sent.
        _registry.Tell(RoutingBarrier.Drain);
        Flush();
        Become(Draining);
    }

    private void CloseWhenFlushed()
    {
        if (!_outbound.IsEmpty)
            return;

        _connection.Tell(TcpMessage.Close.Instance);
        Become(Closing);
    }

    private void HandleUnknownTarget(UnknownTarget unknown)
    {
        ServerLines.UnknownTarget(_outbound, unknown.TargetId);
        Flush();
    }

    private void HandlePong()
    {
        ServerLines.Pong(_outbound);
        Flush();
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
}
