using System.Net;
using Akka;
using Akka.Actor;
using Akka.Event;
using Akka.IO;
using TcpMessage = Akka.IO.Tcp;

namespace Relay.Actors.Tcp;

/// <summary>Asks a <see cref="RelayListener"/> for its endpoint; answered once it is bound.</summary>
public sealed record AwaitBinding
{
    /// <summary>The one instance.</summary>
    public static readonly AwaitBinding Instance = new();
}

/// <summary>The listener's answer to <see cref="AwaitBinding"/>: where clients connect.</summary>
public sealed record ListenerBound(EndPoint Endpoint);

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
/// Binds the client port with Akka.IO and gives every accepted socket its own <see cref="ConnectionActor"/>.
/// </summary>
internal sealed class RelayListener : ReceiveActor, IWithStash
{
    private readonly RelaySettings _settings;
    private readonly NodeServices _services;
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public RelayListener(RelaySettings settings, NodeServices services)
    {
        _settings = settings;
        _services = services;
        Binding();
    }

    /// <summary>Set by Akka before PreStart.</summary>
    public IStash Stash { get; set; } = null!;

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
            Sender.Tell(new TcpMessage.ResumeAccepting(_settings.ConcurrentAccepts));
            _log.Info("Listening for clients on {0}", bound.LocalAddress);
            var tcpListener = Sender;
            Become(() => Listening(bound.LocalAddress, tcpListener));
            Stash.UnstashAll();
        });
        Receive<TcpMessage.CommandFailed>(failed =>
        {
            var reason = failed.Cause.HasValue ? failed.Cause.Value.Message : "unknown reason";
            var error = new InvalidOperationException(
                $"Cannot listen on {_settings.Host}:{_settings.Port}: {reason}. Is another node using the port? Choose another with --port.");
            Become(() => Receive<AwaitBinding>(_ => Sender.Tell(new Status.Failure(error))));
            Stash.UnstashAll();
        });
        Receive<AwaitBinding>(_ => Stash.Stash());
    }

    private void Listening(EndPoint endpoint, IActorRef tcpListener)
    {
        Receive<TcpMessage.Connected>(connected =>
            Context.ActorOf(ConnectionActor.Props(Sender, connected.RemoteAddress, _services, _settings.Connection)));
        Receive<AwaitBinding>(_ => Sender.Tell(new ListenerBound(endpoint)));
        Receive<StopListening>(request => Leave(endpoint, tcpListener, request.Within, Sender));
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
            Context.SetReceiveTimeout(null);
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
            Receive<ReceiveTimeout>(_ =>
            {
                _log.Warning("{0} clients still connected after {1}; closing them", connections.Count, within);
                Unbind();
            });
            Receive<TcpMessage.Unbound>(_ =>
            {
                _log.Info("Stopped listening for clients on {0}", endpoint);
                requester.Tell(Done.Instance);
            });
        });

        if (connections.Count == 0)
            Unbind();
        else
            Context.SetReceiveTimeout(within);
    }
}
