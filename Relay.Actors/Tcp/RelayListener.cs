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

/// <summary>Stop accepting clients (shutdown); answered with <see cref="Done"/> once the port is closed.</summary>
public sealed record StopListening
{
    /// <summary>The one instance.</summary>
    public static readonly StopListening Instance = new();
}

/// <summary>
/// Binds the client port with Akka.IO and gives every accepted socket its own <see cref="ConnectionActor"/>.
/// </summary>
internal sealed class RelayListener : ReceiveActor, IWithStash
{
    private readonly RelaySettings _settings;
    private readonly IActorRef _registry;
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public RelayListener(RelaySettings settings, IActorRef registry)
    {
        _settings = settings;
        _registry = registry;
        Binding();
    }

    /// <summary>Set by Akka before PreStart.</summary>
    public IStash Stash { get; set; } = null!;

    /// <summary>Props for the node's client listener.</summary>
    public static Props Props(RelaySettings settings, IActorRef registry) =>
        Akka.Actor.Props.Create(() => new RelayListener(settings, registry));

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
            Context.ActorOf(ConnectionActor.Props(Sender, connected.RemoteAddress, _registry, _settings.Connection)));
        Receive<AwaitBinding>(_ => Sender.Tell(new ListenerBound(endpoint)));
        Receive<StopListening>(_ =>
        {
            tcpListener.Tell(TcpMessage.Unbind.Instance);
            var requester = Sender;
            Become(() =>
            {
                Receive<TcpMessage.Unbound>(_ =>
                {
                    _log.Info("Stopped listening for clients on {0}", endpoint);
                    requester.Tell(Done.Instance);
                });
                Receive<TcpMessage.Connected>(_ => Sender.Tell(TcpMessage.Abort.Instance));
            });
        });
    }
}
