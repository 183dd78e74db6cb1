using System.Net;
using Akka.Actor;
using Akka.Event;
using Akka.IO;
using Relay.Actors.Session;
using Relay.Protocol;
using Relay.Protocol.Udp;

namespace Relay.Actors.UdpTransport;

/// <summary>A datagram for the client an <see cref="UdpClientActor"/> serves.</summary>
internal sealed record ClientDatagram(ByteString Data);

/// <summary>An <see cref="UdpClientActor"/> is done: its address has no session from now on.</summary>
internal sealed record UdpClientClosed(EndPoint Remote);

/// <summary>
/// One UDP client (one source address and port) as a thin shell around its <see cref="ClientSession"/>:
/// datagrams in, one at a time as the session asks; lines out packed into datagrams; the session
/// ends when the client goes quiet for <see cref="UdpSettings.IdleTimeout"/>.
/// </summary>
/// <remarks>
/// UDP has no flow control, so the datagrams the session has not asked for yet wait here, at most
/// <see cref="UdpSettings.MaxQueuedDatagrams"/> of them; beyond that they are dropped, as a full
/// socket buffer would drop them. Writes are acknowledged by the socket actor once the datagram is
/// handed to the kernel, so the session keeps its one write in flight as over TCP.
/// </remarks>
internal sealed class UdpClientActor : ReceiveActor, IWithTimers, ISessionTransport
{
    // What one datagram can hold over IPv4: a longer line cannot reach a UDP client at all.
    private const int LargestDatagram = 65_507;
    private const string IdleTimer = "idle";

    private readonly IActorRef _socket;
    private readonly EndPoint _remote;
    private readonly NodeServices _services;
    private readonly RelaySettings _settings;
    private readonly bool _json;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Queue<ByteString> _queued = new();
    private ClientSession _session = null!;
    private bool _inputRequested;
    private bool _deliveryScheduled;
    private int _unacknowledged;
    private long _dropped;
    private bool _closed;

    public UdpClientActor(IActorRef socket, EndPoint remote, bool json, NodeServices services, RelaySettings settings)
    {
        _socket = socket;
        _remote = remote;
        _json = json;
        _services = services;
        _settings = settings;

        Receive<ClientDatagram>(OnDatagram);
        Receive<DeliverQueued>(_ => DeliverNext());
        Receive<DatagramSent>(_ => OnSent());
        Receive<Udp.CommandFailed>(failed =>
        {
            // Lost, as UDP may lose any datagram; the session goes on.
            _log.Debug("UDP client {0}: a datagram could not be sent ({1})", _remote, failed.Cmd);
            OnSent();
        });
        Receive<IdleTimedOut>(_ => _session.OnEndOfInput());
        ReceiveAny(message =>
        {
            if (!_session.Handle(message))
                Unhandled(message);
        });
    }

    /// <summary>Set by Akka before PreStart.</summary>
    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>Props for the actor that serves the client at <paramref name="remote"/>.</summary>
    public static Props Props(IActorRef socket, EndPoint remote, bool json, NodeServices services, RelaySettings settings) =>
        Akka.Actor.Props.Create(() => new UdpClientActor(socket, remote, json, services, settings)).WithDispatcher(TcpTransport.ConnectionActor.Dispatcher);

    protected override void PreStart()
    {
        _session = new ClientSession(
            Self, _remote.ToString() ?? "unknown", ClientTransport.Udp, _services, _settings.Connection, this, new ActorSessionTimers(Timers), Context.GetLogger());
        _session.UseDatagrams(_json, _settings.Udp.MaxDatagramBytes);
        _session.Start();
        Timers.StartSingleTimer(IdleTimer, IdleTimedOut.Instance, _settings.Udp.IdleTimeout);
    }

    protected override void PostStop()
    {
        _session.Dispose();
        EndSession();
    }

    void ISessionTransport.Write(ByteString data)
    {
        var bytes = data.ToReadOnlySpan();
        var offset = 0;
        while (offset < bytes.Length)
        {
            var length = Datagrams.NextDatagramLength(bytes[offset..], _settings.Udp.ReplyDatagramBytes);
            if (length <= LargestDatagram)
            {
                _socket.Tell(new Udp.Send(data.Slice(offset, length), _remote, DatagramSent.Instance));
                _unacknowledged++;
            }
            else
            {
                _log.Warning("UDP client {0}: a line of {1} bytes cannot fit in a datagram; dropped", _remote, length);
            }

            offset += length;
        }

        if (_unacknowledged == 0)
        {
            // Nothing could be sent: the write is done all the same.
            _unacknowledged = 1;
            Self.Tell(DatagramSent.Instance);
        }
    }

    void ISessionTransport.RequestInput()
    {
        _inputRequested = true;
        // Never into the session from within its own call: the next datagram comes as a message.
        if (_queued.Count > 0 && !_deliveryScheduled)
        {
            _deliveryScheduled = true;
            Self.Tell(DeliverQueued.Instance);
        }
    }

    void ISessionTransport.Close() => EndSession();

    void ISessionTransport.Abort() => EndSession();

    private void OnDatagram(ClientDatagram datagram)
    {
        // After QUIT (or the node's leave) the address has no session for new commands: say so
        // now, as the endpoint will once it has forgotten this actor, rather than drop them
        // unanswered. A HELLO goes unanswered: its retry, a moment later, opens the next session.
        if (_closed || _session.State >= SessionState.Draining)
        {
            var kind = Datagrams.Read(datagram.Data.ToReadOnlySpan(), out var line);
            if (kind is DatagramKind.Line or DatagramKind.SeveralLines or DatagramKind.ServerLine && !Datagrams.IsHello(line, out _)
                && UdpReplies.NoSession.To(datagram.Data.Count, _json) is { } reply)
            {
                _services.Counters.CountError(ErrorCode.NoSession);
                _socket.Tell(Udp.Send.Create(reply, _remote));
            }
            return;
        }

        Timers.StartSingleTimer(IdleTimer, IdleTimedOut.Instance, _settings.Udp.IdleTimeout);
        // A HELLO repeated while the id is being assigned: the greeting is on its way already, and a
        // second one would only arrive after the client took the first for its answer.
        if (_session.State == SessionState.Registering
            && Datagrams.Read(datagram.Data.ToReadOnlySpan(), out var repeated) == DatagramKind.Line && Datagrams.IsHello(repeated, out _))
            return;

        if (_queued.Count >= _settings.Udp.MaxQueuedDatagrams)
        {
            if (_dropped++ == 0)
                _log.Warning("UDP client {0} sends faster than it is served; dropping its datagrams beyond {1} waiting", _remote, _queued.Count);
            return;
        }

        _queued.Enqueue(datagram.Data);
        if (_inputRequested)
            DeliverNext();
    }

    private void DeliverNext()
    {
        _deliveryScheduled = false;
        if (!_inputRequested || !_queued.TryDequeue(out var next))
            return;
        _inputRequested = false;
        _session.OnDatagram(next.ToReadOnlySpan());
    }

    private void OnSent()
    {
        if (_unacknowledged > 0 && --_unacknowledged == 0)
            _session.OnWriteCompleted();
    }

    /// <summary>
    /// The address has no session from now on; what was handed to the socket still goes out. The
    /// endpoint forgets the address and then stops this actor with a message of its own, so every
    /// datagram it forwarded before is still answered (<c>NO_SESSION</c>), none lost in a dead mailbox.
    /// </summary>
    private void EndSession()
    {
        if (_closed)
            return;
        _closed = true;
        Context.Parent.Tell(new UdpClientClosed(_remote));
    }

    /// <summary>The socket actor handed a datagram to the kernel.</summary>
    private sealed class DatagramSent : Udp.Event
    {
        public static readonly DatagramSent Instance = new();
    }

    private sealed record DeliverQueued
    {
        public static readonly DeliverQueued Instance = new();
    }

    private sealed record IdleTimedOut
    {
        public static readonly IdleTimedOut Instance = new();
    }
}
