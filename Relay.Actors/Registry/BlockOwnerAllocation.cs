using System.Collections.Immutable;
using System.Globalization;
using Akka.Actor;
using Akka.Cluster.Sharding;

namespace Relay.Actors.Registry;

/// <summary>
/// Places the registry shard of each id block on the node that leased the block, and never moves
/// it: the entity points at that node's sockets, which cannot move either.
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

    public Task<IImmutableSet<string>> Rebalance(
        IImmutableDictionary<IActorRef, IImmutableList<string>> currentShardAllocations, IImmutableSet<string> rebalanceInProgress) =>
        Task.FromResult<IImmutableSet<string>>(ImmutableHashSet<string>.Empty);

    private Address AddressOf(IActorRef region) =>
        region.Path.Address.HasLocalScope ? selfAddress : region.Path.Address;
}
