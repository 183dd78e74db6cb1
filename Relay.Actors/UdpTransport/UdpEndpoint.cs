using System.Net;
using Akka;
using Akka.Actor;
using Akka.Event;
using Akka.IO;
using Relay.Actors.Session;
using Relay.Actors.TcpTransport;
using Relay.Protocol;
using Relay.Protocol.Json;
using Relay.Protocol.Udp;

namespace Relay.Actors.UdpTransport;

/// <summary>The UDP endpoint's answer to <see cref="AwaitBinding"/>: where UDP clients send.</summary>
public sealed record UdpBound(EndPoint Endpoint);

/// <summary>
/// Binds the UDP port with Akka.IO and gives every source address that says <c>HELLO</c> its own
/// <see cref="UdpClientActor"/>, up to <see cref="UdpSettings.MaxClients"/>; every later datagram
/// from that address goes to it.
/// </summary>
/// <remarks>
/// A datagram from an address with no session is answered only with a short error, never more
/// than <see cref="Datagrams.ReplyBudget"/> allows, and a server's own error lines are never
/// answered at all: a forged source address can neither make the node an amplifier nor set two
/// nodes talking to each other for good.
/// </remarks>
internal sealed class UdpEndpoint : ReceiveActor, IWithTimers
{
    private const string LeaveDeadline = "leave-deadline";

    private readonly RelaySettings _settings;
    private readonly NodeServices _services;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<EndPoint, IActorRef> _clients = [];
    private readonly UdpReplies _full;
    private IActorRef? _socket;
    private long _refused;

    public UdpEndpoint(RelaySettings settings, NodeServices services)
    {
        _settings = settings;
        _services = services;
        _full = new UdpReplies(output => ServerLines.ServerFull(output, settings.Udp.MaxClients));
        Binding();
    }

    /// <summary>Set by Akka before PreStart.</summary>
    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>Props for the node's UDP endpoint.</summary>
    public static Props Props(RelaySettings settings, NodeServices services) =>
        Akka.Actor.Props.Create(() => new UdpEndpoint(settings, services));

    /// <summary>A session that fails is stopped, never restarted: a restart would greet its address as a new client.</summary>
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(_ => Directive.Stop);

    protected override void PreStart()
    {
        var endpoint = new IPEndPoint(IPAddress.Parse(_settings.Host), _settings.Udp.Port ?? 0);
        Context.System.Udp().Tell(new Udp.Bind(Self, endpoint, [new Inet.SO.ReceiveBufferSize(_settings.Udp.ReceiveBufferBytes)]));
    }

    private void Binding()
    {
        var waiting = new List<IActorRef>();
        Receive<AwaitBinding>(_ => waiting.Add(Sender));
        Receive<Udp.Bound>(bound =>
        {
            _socket = Sender;
            Context.Watch(_socket);
            foreach (var requester in waiting)
                requester.Tell(new UdpBound(bound.LocalAddress));
            Become(() => Serving(bound.LocalAddress));
        });
        Receive<Udp.CommandFailed>(_ =>
        {
            var error = new InvalidOperationException(
                $"Cannot listen for UDP on {_settings.Host}:{_settings.Udp.Port}. Is another process using the port? Choose another with --udp-port.");
            foreach (var requester in waiting)
                requester.Tell(new Status.Failure(error));
            Become(() => Receive<AwaitBinding>(_ => Sender.Tell(new Status.Failure(error))));
        });
    }

    private void Serving(EndPoint endpoint)
    {
        Receive<AwaitBinding>(_ => Sender.Tell(new UdpBound(endpoint)));
        Receive<Udp.Received>(received => OnDatagram(received.Data, received.Sender));
        Receive<UdpClientClosed>(Forget);
        Receive<Udp.CommandFailed>(_ => { });
        Receive<StopListening>(stop => Leave(stop.Within, Sender));
        Receive<Terminated>(terminated =>
        {
            if (terminated.ActorRef.Equals(_socket))
                _log.Error("The UDP socket on {0} stopped; UDP clients are no longer served", endpoint);
        });
    }

    private void OnDatagram(ByteString data, EndPoint from)
    {
        if (_clients.TryGetValue(from, out var client))
        {
            client.Tell(new ClientDatagram(data));
            return;
        }

        var datagram = data.ToReadOnlySpan();
        var kind = Datagrams.Read(datagram, out var line);
        if (kind is DatagramKind.Blank or DatagramKind.Reply || from is IPEndPoint { Port: 0 })
            return;

        var json = !line.IsEmpty && line[0] == JsonWire.OpenBrace;
        if (kind != DatagramKind.Line || datagram.Length > _settings.Udp.MaxDatagramBytes || !Datagrams.IsHello(line, out json))
        {
            _services.Counters.CountError(ErrorCode.NoSession);
            Reply(UdpReplies.NoSession, datagram.Length, json, from);
            return;
        }

        if (_clients.Count >= _settings.Udp.MaxClients)
        {
            if (_refused++ == 0)
                _log.Warning("{0} UDP clients, the most relay.udp.max-clients allows; refusing new ones with ERROR:SERVER_FULL", _clients.Count);
            _services.Counters.CountError(ErrorCode.ServerFull);
            Reply(_full, datagram.Length, json, from);
            return;
        }

        _refused = 0;
        _clients[from] = Context.ActorOf(UdpClientActor.Props(_socket!, from, json, _services, _settings));
    }

    private void Reply(UdpReplies reply, int datagramBytes, bool json, EndPoint to)
    {
        if (reply.To(datagramBytes, json) is { } datagram)
            _socket!.Tell(Udp.Send.Create(datagram, to));
    }

    /// <summary>
    /// A session ended: its address is free for the next HELLO. Its actor stops after the datagrams
    /// already forwarded to it (a PoisonPill is an ordinary message, behind them in its mailbox).
    /// </summary>
    private void Forget(UdpClientClosed closed)
    {
        if (_clients.Remove(closed.Remote, out var client))
            client.Tell(PoisonPill.Instance);
    }

    private void Leave(TimeSpan within, IActorRef requester)
    {
        var clients = _clients.Values.ToHashSet();
        foreach (var client in clients)
        {
            Context.Watch(client);
            client.Tell(NodeLeaving.Instance);
        }

        void Unbind()
        {
            Timers.Cancel(LeaveDeadline);
            _socket?.Tell(Udp.Unbind.Instance);
        }

        Become(() =>
        {
            Receive<Udp.Received>(_ => { });
            Receive<UdpClientClosed>(Forget);
            Receive<Udp.CommandFailed>(_ => { });
            Receive<Terminated>(terminated =>
            {
                if (clients.Remove(terminated.ActorRef) && clients.Count == 0)
                    Unbind();
            });
            Receive<string>(deadline => deadline == LeaveDeadline, _ => Unbind());
            Receive<Udp.Unbound>(_ => requester.Tell(Done.Instance));
        });

        if (clients.Count == 0 || _socket is null)
        {
            Unbind();
            if (_socket is null)
                requester.Tell(Done.Instance);
        }
        else
        {
            Timers.StartSingleTimer(LeaveDeadline, LeaveDeadline, within);
        }
    }
}
