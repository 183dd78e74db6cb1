using Akka.Actor;
using Relay.Actors.Cluster;

namespace Relay.Actors.Registry;

/// <summary>
/// Records where a client is: sent by its connection to the registry entity of the client's id
/// block (which lives on the same node); answered with <see cref="ClientRegistered"/>.
/// </summary>
public sealed record RegisterClient(long ClientId, IActorRef Connection) : IRelayClusterMessage;

/// <summary>The location record exists: messages for the id can now reach the connection.</summary>
public sealed record ClientRegistered(long ClientId) : IRelayClusterMessage;

/// <summary>
/// One relayed message. Travels sender connection → shard region → registry entity of the
/// target's block (on the target's node) → target connection, unchanged: the payload stays bytes
/// end to end, validated as UTF-8 once by the sender's connection.
/// </summary>
public sealed record RelayEnvelope(long SenderId, long TargetId, byte[] Payload) : IRelayClusterMessage, ITargetedEnvelope;

/// <summary>The answer to the sender when <see cref="RelayEnvelope.TargetId"/> is not connected.</summary>
public sealed record UnknownTarget(long TargetId) : IRelayClusterMessage;

/// <summary>
/// Echoed back by the registry entity of <paramref name="Block"/> to the sender, after the answers
/// to every envelope that sender sent there before. A connection sends one to each block it
/// wrote to, to answer PING (and close on QUIT) only after every earlier reply.
/// </summary>
public sealed record BlockBarrier(long Block, long Token) : IRelayClusterMessage;

/// <summary>
/// The <c>TO:</c> lines one client sent, within one received chunk, to clients of one id block on
/// another node: one message (and one network frame) instead of one per line. The registry entity
/// of <paramref name="Block"/> hands each target its lines and answers UNKNOWN_TARGET for the rest.
/// </summary>
/// <param name="Block">The id block of every target in the batch.</param>
/// <param name="SenderId">The sending client.</param>
/// <param name="Entries">Repeated (target id: 8 bytes LE, length: 4 bytes LE, payload), in the order sent.</param>
public sealed record RelayBatch(long Block, long SenderId, byte[] Entries) : IRelayClusterMessage;

/// <summary>
/// A <c>TOACK:</c> message: a <see cref="RelayEnvelope"/> whose target's session tells
/// <paramref name="ReplyTo"/> (the sender's connection) <see cref="Session.ReceiptDelivered"/>
/// once its socket has taken the line, or <see cref="Session.ReceiptFailed"/>.
/// </summary>
/// <param name="SenderId">The sending client.</param>
/// <param name="TargetId">The recipient.</param>
/// <param name="ReceiptId">The sender session's number for the receipt (its client's reference never leaves its node).</param>
/// <param name="ReplyTo">The sender's connection.</param>
/// <param name="Payload">The message.</param>
public sealed record AckedEnvelope(long SenderId, long TargetId, long ReceiptId, IActorRef ReplyTo, byte[] Payload) : IRelayClusterMessage, ITargetedEnvelope;

/// <summary>A message for one client, routed by its target's id block: <see cref="RelayEnvelope"/> or <see cref="AckedEnvelope"/>.</summary>
public interface ITargetedEnvelope
{
    /// <summary>The sending client.</summary>
    long SenderId { get; }

    /// <summary>The recipient.</summary>
    long TargetId { get; }

    /// <summary>The message, valid UTF-8.</summary>
    byte[] Payload { get; }
}
