using Akka.Actor;
using Akka.Event;

namespace Relay.Actors.Registry;

/// <summary>
/// Assigns client ids and routes envelopes to the connection that holds the target id.
/// </summary>
/// <remarks>
/// The registry never sees text or sockets: it maps ids to connection actors and forwards typed
/// envelopes. Connections are watched, so an ended connection leaves the map however it ended.
/// </remarks>
internal sealed class ClientRegistry : ReceiveActor
{
    private readonly Dictionary<long, IActorRef> _clients = new();
    private readonly Dictionary<IActorRef, long> _idsByConnection = new();
    private readonly ILoggingAdapter _log = Context.GetLogger();

    // The seed numbers clients from 1; ids are never reused, so a late message for a departed
    // client can never reach a newcomer who happens to get the same number.
    private long _nextId = 1;

    public ClientRegistry()
    {
        Receive<RelayEnvelope>(HandleEnvelope);
        Receive<RoutingBarrier>(barrier => Sender.Tell(barrier, ActorRefs.NoSender));
        Receive<RegisterClient>(HandleRegister);
        Receive<Terminated>(HandleTerminated);
    }

    /// <summary>Props for the node's one registry.</summary>
    public static Props Props() => Akka.Actor.Props.Create(() => new ClientRegistry());

    private void HandleEnvelope(RelayEnvelope envelope)
    {
        if (_clients.TryGetValue(envelope.TargetId, out var target))
            target.Tell(envelope, ActorRefs.NoSender);
        else
            Sender.Tell(new UnknownTarget(envelope.TargetId), ActorRefs.NoSender);
    }

    private void HandleRegister(RegisterClient register)
    {
        var id = _nextId++;
        _clients.Add(id, register.Connection);
        _idsByConnection.Add(register.Connection, id);
        Context.Watch(register.Connection);
        register.Connection.Tell(new ClientRegistered(id), ActorRefs.NoSender);
        _log.Debug("Client {0} registered ({1} connected)", id, _clients.Count);
    }

    private void HandleTerminated(Terminated terminated)
    {
        if (_idsByConnection.Remove(terminated.ActorRef, out var id))
        {
            _clients.Remove(id);
            _log.Debug("Client {0} left ({1} connected)", id, _clients.Count);
        }
    }
}
