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
/// A block whose node is gone (or that nobody leased) goes to the requesting node, where an empty
/// entity answers UNKNOWN_TARGET. The coordinator may run on a node whose lease table lags behind
/// a fresh lease; a local miss is therefore settled by a majority read, which sees every lease
/// (leases are written to a majority before they are handed out).
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
            catch (AskTimeoutException)
            {
                // No answer: place it with the requester, as for a block nobody leased.
            }

            owner = table.OwnerOf(block);
        }

        if (owner is null)
            return requester;

        return currentShardAllocations.Keys.FirstOrDefault(region => AddressOf(region) == owner) ?? requester;
    }

    public Task<IImmutableSet<string>> Rebalance(
        IImmutableDictionary<IActorRef, IImmutableList<string>> currentShardAllocations, IImmutableSet<string> rebalanceInProgress) =>
        Task.FromResult<IImmutableSet<string>>(ImmutableHashSet<string>.Empty);

    private Address AddressOf(IActorRef region) =>
        region.Path.Address.HasLocalScope ? selfAddress : region.Path.Address;
}
