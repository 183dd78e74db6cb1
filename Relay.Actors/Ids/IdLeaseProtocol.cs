using Akka.Actor;
using Relay.Actors.Cluster;

namespace Relay.Actors.Ids;

/// <summary>A node's <see cref="IdPool"/> asks the <see cref="IdAllocator"/> singleton for a block.</summary>
/// <param name="Requester">The pool to answer; the block is leased to its node.</param>
/// <param name="Incarnation">The uid of the requester's node: the lease is this incarnation's.</param>
public sealed record LeaseBlock(IActorRef Requester, long Incarnation) : IRelayClusterMessage;

/// <summary>The allocator's answer: <paramref name="Block"/> is this node's, recorded on a majority first.</summary>
public sealed record BlockLeased(long Block) : IRelayClusterMessage;

/// <summary>
/// A node's pool gives back blocks whose ids are all handed out and whose clients have all left:
/// no client of them can ever be connected again, so nothing needs their leases or registry shards.
/// </summary>
/// <param name="Incarnation">The uid of the releasing node: only the incarnation that leased a block releases it.</param>
/// <param name="Blocks">The blocks given back.</param>
public sealed record ReleaseBlocks(long Incarnation, long[] Blocks) : IRelayClusterMessage;

/// <summary>The allocator's answer to <see cref="ReleaseBlocks"/>: these leases are gone (from a majority).</summary>
public sealed record BlocksReleased(long[] Blocks) : IRelayClusterMessage;

/// <summary>A connection asks its node's <see cref="IdPool"/> for an id.</summary>
public sealed record AssignId(IActorRef Connection);

/// <summary>The pool's answer to <see cref="AssignId"/>.</summary>
public sealed record IdAssigned(long ClientId);

/// <summary>Answered with <see cref="Akka.Done"/> once the pool holds a block, i.e. clients can get ids.</summary>
public sealed record AwaitIds
{
    /// <summary>The one instance.</summary>
    public static readonly AwaitIds Instance = new();
}
