using System.Collections.Immutable;
using System.Globalization;
using Akka.Actor;
using Akka.Cluster.Sharding;

namespace Relay.Actors.Registry;

/// <summary>
/// Places the registry shard of each id block on the node that leased the block, and never moves
/// it: the entity points at that node's sockets, which cannot move either. Shards of retired
/// blocks are stopped.
/// </summary>
/// <remarks>
/// A block that nobody leased, or whose node has left the cluster for good, goes to the requesting
/// node, where an empty entity answers UNKNOWN_TARGET: its ids can never be connected again. The coordinator may run on a node whose lease table lags behind a fresh lease;
/// a local miss is therefore settled by a majority read, which sees every lease (leases are
/// written to a majority before they are handed out).
/// When the owner cannot be placed yet (no majority answered, or its node's region has not
/// registered with the coordinator) the allocation fails rather than guess: a shard placed on
/// another node would stay there for good, its entity holding references to remote sockets. The
/// coordinator logs the failure and the region asks again (sharding's retry interval).
/// </remarks>
internal sealed class BlockOwnerAllocation(RoutingTable table, IActorRef leaseDirectory, Address selfAddress, TimeSpan timeout)
    : IShardAllocationStrategy
{
    // Hand-offs per rebalance round (akka.cluster.sharding.rebalance-interval), so that a backlog
    // after a long outage is worked off in steps rather than in one burst of coordinator writes.
    private const int MostRetiredAtOnce = 100;

    public async Task<IActorRef> AllocateShard(
        IActorRef requester, string shardId, IImmutableDictionary<IActorRef, IImmutableList<string>> currentShardAllocations)
    {
        var block = long.Parse(shardId, CultureInfo.InvariantCulture);
        var owner = table.OwnerOf(block);
        if (owner is null)
        {
            try
            {
                await leaseDirectory.Ask<BlockResolved>(new ResolveBlock(block), timeout).ConfigureAwait(false);
            }
            catch (AskTimeoutException e)
            {
                throw new InvalidOperationException($"Id block {block}: no majority said within {timeout} who leased it; its shard is placed when one does.", e);
            }

            owner = table.OwnerOf(block);
        }

        // A member that left (or was downed and removed) never registers again: not worth a retry,
        // nor the error the coordinator would log for each. (An unreachable member is still a member.)
        if (owner is null || !table.IsMember(owner))
            return requester;

        return currentShardAllocations.Keys.FirstOrDefault(region => AddressOf(region) == owner)
            ?? throw new InvalidOperationException($"Id block {block} was leased by {owner}, whose registry has not joined the coordinator yet; its shard is placed there once it does.");
    }

    /// <summary>
    /// Never moves a shard to another node; hands off (stops) the shards of retired blocks, whose
    /// ids can never be connected again, so the coordinator's state and the shards follow the
    /// blocks in use. A message for such a block later is answered by an empty shard placed anew.
    /// </summary>
    public Task<IImmutableSet<string>> Rebalance(
        IImmutableDictionary<IActorRef, IImmutableList<string>> currentShardAllocations, IImmutableSet<string> rebalanceInProgress)
    {
        var retired = currentShardAllocations.Values
            .SelectMany(shards => shards)
            .Where(shard => !rebalanceInProgress.Contains(shard) && table.IsRetired(long.Parse(shard, CultureInfo.InvariantCulture)))
            .Take(MostRetiredAtOnce);
        return Task.FromResult<IImmutableSet<string>>(retired.ToImmutableHashSet());
    }

    private Address AddressOf(IActorRef region) =>
        region.Path.Address.HasLocalScope ? selfAddress : region.Path.Address;
}
