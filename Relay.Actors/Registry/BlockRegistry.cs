using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Event;
using Relay.Actors.Session;
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
    private readonly LocalClients _local;
    private readonly TimeSpan _idleEmptyAfter;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly LineBatch _lines = new();

    public BlockRegistry(LocalClients local, TimeSpan idleEmptyAfter)
    {
        _local = local;
        _idleEmptyAfter = idleEmptyAfter;
        Receive<RelayBatch>(HandleBatch);
        Receive<RelayEnvelope>(HandleEnvelope);
        Receive<AckedEnvelope>(HandleAckedEnvelope);
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
    public static Props Props(LocalClients local, TimeSpan idleEmptyAfter) =>
        Akka.Actor.Props.Create(() => new BlockRegistry(local, idleEmptyAfter));

    protected override void PreStart() => UpdateIdleTimeout();

    private void HandleEnvelope(RelayEnvelope envelope)
    {
        if (TryReserve(envelope.TargetId, envelope.SenderId, envelope.Payload.Length, out var inbox))
            inbox.Connection.Tell(envelope, ActorRefs.NoSender);
        else
            Sender.Tell(new UnknownTarget(envelope.TargetId), ActorRefs.NoSender);
    }

    private void HandleAckedEnvelope(AckedEnvelope envelope)
    {
        if (TryReserve(envelope.TargetId, envelope.SenderId, envelope.Payload.Length, out var inbox))
            inbox.Connection.Tell(envelope, ActorRefs.NoSender);
        else
            envelope.ReplyTo.Tell(new ReceiptFailed(envelope.ReceiptId, ReceiptFailure.UnknownTarget), ActorRefs.NoSender);
    }

    private void HandleBatch(RelayBatch batch)
    {
        ReadOnlySpan<byte> entries = batch.Entries;
        while (BatchEntries.TryRead(ref entries, out var targetId, out var payload))
        {
            if (TryReserve(targetId, batch.SenderId, payload.Length, out var inbox))
                ServerLines.From(_lines.For(inbox.Connection), batch.SenderId, payload);
            else
                Sender.Tell(new UnknownTarget(targetId), ActorRefs.NoSender);
        }

        _lines.Deliver();
    }

    /// <summary>
    /// Room for one <c>FROM:</c> line in the target's inbox: false when the client is not here,
    /// is leaving, or has more queued than it may (it is then disconnected as a slow consumer).
    /// </summary>
    /// <remarks>
    /// The entity lives on its clients' node, so their inboxes are local. A client whose location
    /// record is still here but whose session has stopped taking deliveries counts as gone.
    /// </remarks>
    private bool TryReserve(long targetId, long senderId, int payloadLength, out ClientInbox inbox) =>
        _local.TryGet(targetId, out inbox) && inbox.TryReserve(ServerLines.FromLength(senderId, payloadLength));

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
