using System.Net;
using Akka.Actor;
using Akka.Event;
using Akka.IO;
using Relay.Actors.Session;

namespace Relay.Actors.TcpTransport;

/// <summary>
/// One client socket, as a thin shell around its <see cref="ClientSession"/>: Akka.IO
/// registration, pull-mode reads, acknowledged writes and the socket's close. Every decision
/// about what to read, write or close is the session's.
/// </summary>
internal sealed class ConnectionActor : ReceiveActor, IWithTimers, ISessionTransport
{
    private readonly IActorRef _connection;
    private readonly NodeServices _services;
    private readonly ConnectionSettings _settings;
    private readonly string _peer;
    private ClientSession _session = null!;

    public ConnectionActor(IActorRef connection, EndPoint remote, NodeServices services, ConnectionSettings settings)
    {
        _connection = connection;
        _services = services;
        _settings = settings;
        _peer = remote.ToString() ?? "unknown";

        Receive<Tcp.Received>(received => _session.OnInput(received.Data.ToReadOnlySpan()));
        Receive<WriteAcknowledged>(_ => _session.OnWriteCompleted());
        // PeerClosed is a ConnectionClosed: it must be matched first. The socket stays open for
        // the replies to what the client sent before it half-closed (keepOpenOnPeerClosed).
        Receive<Tcp.PeerClosed>(_ => _session.OnEndOfInput());
        Receive<Tcp.ConnectionClosed>(_ => OnClosed());
        Receive<Tcp.CommandFailed>(failed => _session.OnTransportFailed(failed.Cmd));
        ReceiveAny(message =>
        {
            if (!_session.Handle(message))
                Unhandled(message);
        });
    }

    /// <summary>Set by Akka before PreStart.</summary>
    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>The dispatcher connections run on (hocon/relay.conf says why it is not the default one).</summary>
    public const string Dispatcher = "relay.connection-dispatcher";

    /// <summary>Props for the actor that serves the socket behind <paramref name="connection"/>.</summary>
    public static Props Props(IActorRef connection, EndPoint remote, NodeServices services, ConnectionSettings settings) =>
        Akka.Actor.Props.Create(() => new ConnectionActor(connection, remote, services, settings)).WithDispatcher(Dispatcher);

    protected override void PreStart()
    {
        _session = new ClientSession(Self, _peer, ClientTransport.Tcp, _services, _settings, this, new ActorSessionTimers(Timers), Context.GetLogger());
        // keepOpenOnPeerClosed: a client that half-closes after its last line (printf … | nc -q1)
        // still gets the replies to it.
        _connection.Tell(new Tcp.Register(Self, keepOpenOnPeerClosed: true));
        _session.Start();
    }

    protected override void PostStop() => _session.Dispose();

    /// <summary>
    /// The socket is closed. A sender that reserved room in the client's inbox before the session
    /// closed it is still sending its line: the actor lives until every such line has arrived (or
    /// the barrier timeout), so that a receipt among them is answered DISCONNECTED rather than lost
    /// with the mailbox, to time out at its sender 15 s later.
    /// </summary>
    private void OnClosed()
    {
        _session.OnTransportClosed();
        if (!_session.AwaitsDeliveries)
        {
            Context.Stop(Self);
            return;
        }

        Timers.StartSingleTimer(ClosedGraceOver.Instance, ClosedGraceOver.Instance, _settings.BarrierTimeout);
        Become(() =>
        {
            Receive<ClosedGraceOver>(_ => Context.Stop(Self));
            ReceiveAny(message =>
            {
                _session.Handle(message);
                if (!_session.AwaitsDeliveries)
                    Context.Stop(Self);
            });
        });
    }

    void ISessionTransport.Write(ByteString data) => _connection.Tell(Tcp.Write.Create(data, WriteAcknowledged.Instance));

    void ISessionTransport.RequestInput() => _connection.Tell(Tcp.ResumeReading.Instance);

    void ISessionTransport.Close() => _connection.Tell(Tcp.Close.Instance);

    void ISessionTransport.Abort() => _connection.Tell(Tcp.Abort.Instance);

    /// <summary>The deliveries awaited after the close did not all come in time.</summary>
    private sealed record ClosedGraceOver
    {
        public static readonly ClosedGraceOver Instance = new();
    }

    /// <summary>The socket took the last write; the next may go.</summary>
    private sealed class WriteAcknowledged : Tcp.Event
    {
        public static readonly WriteAcknowledged Instance = new();
    }
}
