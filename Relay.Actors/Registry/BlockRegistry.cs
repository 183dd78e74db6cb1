using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Event;
using Relay.Actors.Tcp;
using Relay.Protocol;

namespace Relay.Actors.Registry;

/// <summary>
/// The sharded registry entity of one id block: which connection holds each id of the block.
/// Lives on the node that leased the block (see <see cref="BlockOwnerAllocation"/>), beside the
/// connections it points to, so that a node's crash takes only its own clients' records with it.
/// </summary>
/// <remarks>
/// Entities are location records, not owners of sockets: connections are watched, and an ended
/// connection (or every connection of a removed node) leaves the record however it ended.
/// </remarks>
internal sealed class BlockRegistry : ReceiveActor
{
    private readonly Dictionary<long, IActorRef> _clients = new();
    private readonly Dictionary<IActorRef, long> _idsByConnection = new();
    private readonly TimeSpan _idleEmptyAfter;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly LineBatch _lines = new();

    public BlockRegistry(TimeSpan idleEmptyAfter)
    {
        _idleEmptyAfter = idleEmptyAfter;
        Receive<RelayBatch>(HandleBatch);
        Receive<RelayEnvelope>(HandleEnvelope);
        Receive<BlockBarrier>(barrier => Sender.Tell(barrier, ActorRefs.NoSender));
        Receive<RegisterClient>(HandleRegister);
        Receive<Terminated>(HandleTerminated);
        Receive<ReceiveTimeout>(_ =>
        {
            if (_clients.Count == 0)
                Context.Parent.Tell(new Passivate(PoisonPill.Instance));
        });
    }

    /// <summary>Props for the entities of the "client-registry" shard region.</summary>
    public static Props Props(TimeSpan idleEmptyAfter) => Akka.Actor.Props.Create(() => new BlockRegistry(idleEmptyAfter));

    protected override void PreStart() => UpdateIdleTimeout();

    private void HandleEnvelope(RelayEnvelope envelope)
    {
        if (_clients.TryGetValue(envelope.TargetId, out var target))
            target.Tell(envelope, ActorRefs.NoSender);
        else
            Sender.Tell(new UnknownTarget(envelope.TargetId), ActorRefs.NoSender);
    }

    private void HandleBatch(RelayBatch batch)
    {
        ReadOnlySpan<byte> entries = batch.Entries;
        while (BatchEntries.TryRead(ref entries, out var targetId, out var payload))
        {
            if (_clients.TryGetValue(targetId, out var target))
                ServerLines.From(_lines.For(target), batch.SenderId, payload);
            else
                Sender.Tell(new UnknownTarget(targetId), ActorRefs.NoSender);
        }

        _lines.Deliver();
    }

    private void HandleRegister(RegisterClient register)
    {
        _clients[register.ClientId] = register.Connection;
        _idsByConnection[register.Connection] = register.ClientId;
        Context.Watch(register.Connection);
        register.Connection.Tell(new ClientRegistered(register.ClientId), ActorRefs.NoSender);
        UpdateIdleTimeout();
    }

    private void HandleTerminated(Terminated terminated)
    {
        if (_idsByConnection.Remove(terminated.ActorRef, out var id))
        {
            _clients.Remove(id);
            _log.Debug("Client {0} left", id);
        }

        UpdateIdleTimeout();
    }

    // An empty entity (its clients left, or it was started by a message for a block nobody
    // holds) stops after a while; one with clients never does, as its records cannot be rebuilt.
    private void UpdateIdleTimeout() => Context.SetReceiveTimeout(_clients.Count == 0 ? _idleEmptyAfter : null);
}
