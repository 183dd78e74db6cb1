using System.Buffers;
using System.Net;
using Akka;
using Akka.Actor;
using Akka.Event;
using Akka.IO;
using Relay.Actors.Session;
using Relay.Protocol;
using TcpMessage = Akka.IO.Tcp;

namespace Relay.Actors.TcpTransport;

/// <summary>Asks a <see cref="RelayListener"/> for its endpoint; answered once it is bound.</summary>
public sealed record AwaitBinding
{
    /// <summary>The one instance.</summary>
    public static readonly AwaitBinding Instance = new();
}

/// <summary>The listener's answer to <see cref="AwaitBinding"/>: where clients connect, and how many may at once.</summary>
public sealed record ListenerBound(EndPoint Endpoint, int MaxConnections);

/// <summary>
/// Shutdown: refuse new clients, tell the connected ones to reconnect to another node, wait for
/// them to close (at most <paramref name="Within"/>), then close the port. Answered with
/// <see cref="Done"/>.
/// </summary>
/// <remarks>
/// The port closes last because Akka.IO stops a listener's connections with it (and aborts their
/// sockets, losing the RECONNECT line).
/// </remarks>
public sealed record StopListening(TimeSpan Within);

/// <summary>
/// Binds the client port with Akka.IO and gives every accepted socket its own <see cref="ConnectionActor"/>,
/// up to the node's connection limit; beyond it a client gets <c>ERROR:SERVER_FULL</c> and is closed.
/// </summary>
/// <remarks>
/// The limit keeps the process below its open-file limit: Akka.IO accepts without pause, and a
/// process out of file descriptors cannot open cluster connections, files, or sockets for the
/// clients it should refuse (its accept loop then retries in a tight loop).
/// </remarks>
internal sealed class RelayListener : ReceiveActor, IWithStash, IWithTimers
{
    /// <summary>The one line a user reads when the client port cannot be listened on.</summary>
    internal static string CannotListen(string host, int port, string reason) =>
        $"Cannot listen on {host}:{port}: {reason}. Is another node using the port? Choose another with --port.";

    private const string LeaveDeadline = "leave-deadline";
    private const int MaxRefusalsWithReply = 32;

    private readonly RelaySettings _settings;
    private readonly NodeServices _services;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly int _maxConnections;
    private readonly ByteString _serverFull;
    private readonly ByteString? _addressFull;
    // Connections by remote address, when relay.client-endpoint.max-connections-per-address is on.
    private readonly Dictionary<IPAddress, int> _perAddress = [];
    private readonly Dictionary<IActorRef, IPAddress> _addressOf = [];
    private int _connections;
    private int _refusalsInFlight;
    private long _refused;

    public RelayListener(RelaySettings settings, NodeServices services)
    {
        _settings = settings;
        _services = services;
        _maxConnections = settings.MaxConnections ?? AutomaticLimit(settings.ReservedFileDescriptors);
        var line = new ArrayBufferWriter<byte>();
        ServerLines.ServerFull(line, _maxConnections);
        _serverFull = ByteString.FromBytes(line.WrittenSpan.ToArray());
        if (settings.MaxConnectionsPerAddress is { } perAddress)
        {
            var addressFull = new ArrayBufferWriter<byte>();
            ServerLines.AddressFull(addressFull, perAddress);
            _addressFull = ByteString.FromBytes(addressFull.WrittenSpan.ToArray());
        }

        Binding();
    }

    /// <summary>Set by Akka before PreStart.</summary>
    public IStash Stash { get; set; } = null!;

    /// <summary>Set by Akka before PreStart.</summary>
    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>Props for the node's client listener.</summary>
    public static Props Props(RelaySettings settings, NodeServices services) =>
        Akka.Actor.Props.Create(() => new RelayListener(settings, services));

    protected override void PreStart()
    {
        var endpoint = new IPEndPoint(IPAddress.Parse(_settings.Host), _settings.Port);
        // Pull mode: each connection reads its next chunk only when it asks (see ConnectionActor).
        Context.System.Tcp().Tell(new TcpMessage.Bind(Self, endpoint, _settings.Backlog, options: null, pullMode: true));
    }

    private void Binding()
    {
        Receive<TcpMessage.Bound>(bound =>
        {
            _log.Info("Listening for clients on {0}, at most {1} at once", bound.LocalAddress, _maxConnections);
            var tcpListener = Sender;
            Become(() => Listening(bound.LocalAddress, tcpListener));
            Stash.UnstashAll();
        });
        Receive<TcpMessage.CommandFailed>(failed =>
        {
            var reason = failed.Cause.HasValue ? failed.Cause.Value.Message : "unknown reason";
            var error = new InvalidOperationException(CannotListen(_settings.Host, _settings.Port, reason));
            Become(() => Receive<AwaitBinding>(_ => Sender.Tell(new Status.Failure(error))));
            Stash.UnstashAll();
        });
        Receive<AwaitBinding>(_ => Stash.Stash());
    }

    private void Listening(EndPoint endpoint, IActorRef tcpListener)
    {
        Receive<TcpMessage.Connected>(HandleConnected);
        Receive<Terminated>(terminated => HandleConnectionEnded(terminated.ActorRef));
        Receive<AwaitBinding>(_ => Sender.Tell(new ListenerBound(endpoint, _maxConnections)));
        Receive<StopListening>(request => Leave(endpoint, tcpListener, request.Within, Sender));
        // What the refused clients' sockets report as they close.
        Receive<TcpMessage.ConnectionClosed>(_ => _refusalsInFlight--);
        Receive<TcpMessage.CommandFailed>(_ => { });
    }

    private void HandleConnected(TcpMessage.Connected connected)
    {
        if (_connections >= _maxConnections)
        {
            _services.Counters.CountError(ErrorCode.ServerFull);
            Refuse(Sender, _serverFull);
            // Once per episode, not once per client: a storm of refusals must not become a storm of log lines.
            if (_refused++ == 0)
            {
                _log.Warning(
                    "{0} clients connected, the most relay.client-endpoint.max-connections allows; refusing new clients with ERROR:SERVER_FULL until some leave",
                    _connections);
            }

            return;
        }

        var address = (connected.RemoteAddress as IPEndPoint)?.Address;
        if (_settings.MaxConnectionsPerAddress is { } perAddress && address is not null
            && _perAddress.GetValueOrDefault(address) >= perAddress)
        {
            _services.Counters.CountError(ErrorCode.ServerFull);
            Refuse(Sender, _addressFull!);
            _log.Debug("Refused a client from {0}: it has {1} connections, the most relay.client-endpoint.max-connections-per-address allows", address, perAddress);
            return;
        }

        var connection = Context.ActorOf(ConnectionActor.Props(Sender, connected.RemoteAddress, _services, _settings.Connection));
        Context.Watch(connection);
        _connections++;
        if (_settings.MaxConnectionsPerAddress is not null && address is not null)
        {
            _perAddress[address] = _perAddress.GetValueOrDefault(address) + 1;
            _addressOf[connection] = address;
        }
    }

    private void HandleConnectionEnded(IActorRef connection)
    {
        _connections--;
        if (_addressOf.Remove(connection, out var address) && --_perAddress[address] == 0)
            _perAddress.Remove(address);
        if (_refused > 0 && _connections < _maxConnections)
        {
            _log.Warning("Accepting clients again ({0} connected); {1} were refused while the node was full", _connections, _refused);
            _refused = 0;
        }
    }

    /// <summary>One line, then close: the listener handles the socket itself, no session is made.</summary>
    /// <remarks>
    /// Each refused socket holds a file descriptor until it is closed. In a connect storm the
    /// refusals could use up the reserve, so beyond a few dozen at once the rest are reset at
    /// once, without the line: the descriptors go back sooner.
    /// </remarks>
    private void Refuse(IActorRef socket, ByteString line)
    {
        if (_refusalsInFlight < MaxRefusalsWithReply)
        {
            _refusalsInFlight++;
            socket.Tell(new TcpMessage.Register(Self));
            socket.Tell(TcpMessage.Write.Create(line));
            socket.Tell(TcpMessage.Close.Instance);
        }
        else
        {
            socket.Tell(TcpMessage.Abort.Instance);
        }
    }

    private static int AutomaticLimit(int reserved)
    {
        var openFiles = OpenFileLimit.Read();
        return openFiles is null ? int.MaxValue : (int)Math.Clamp(openFiles.Value - reserved, 1, int.MaxValue);
    }

    private void Leave(EndPoint endpoint, IActorRef tcpListener, TimeSpan within, IActorRef requester)
    {
        var connections = Context.GetChildren().ToHashSet();
        _log.Info("Telling {0} clients to reconnect to another node", connections.Count);
        foreach (var connection in connections)
        {
            Context.Watch(connection);
            connection.Tell(NodeLeaving.Instance);
        }

        void Unbind()
        {
            Timers.Cancel(LeaveDeadline);
            tcpListener.Tell(TcpMessage.Unbind.Instance);
        }

        Become(() =>
        {
            // New clients are refused: this node is going away.
            Receive<TcpMessage.Connected>(_ => Sender.Tell(TcpMessage.Abort.Instance));
            Receive<Terminated>(terminated =>
            {
                if (connections.Remove(terminated.ActorRef) && connections.Count == 0)
                    Unbind();
            });
            Receive<LeaveTimedOut>(_ =>
            {
                _log.Warning("{0} clients still connected after {1}; closing them", connections.Count, within);
                Unbind();
            });
            Receive<TcpMessage.ConnectionClosed>(_ => { });
            Receive<TcpMessage.CommandFailed>(_ => { });
            Receive<TcpMessage.Unbound>(_ =>
            {
                _log.Info("Stopped listening for clients on {0}", endpoint);
                requester.Tell(Done.Instance);
            });
        });

        if (connections.Count == 0)
            Unbind();
        else
            Timers.StartSingleTimer(LeaveDeadline, LeaveTimedOut.Instance, within);
    }

    /// <summary>The connections were given their time to take the RECONNECT line.</summary>
    private sealed record LeaveTimedOut
    {
        public static readonly LeaveTimedOut Instance = new();
    }
}
