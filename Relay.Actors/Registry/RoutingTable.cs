using System.Collections.Immutable;
using Akka.Actor;

namespace Relay.Actors.Registry;

/// <summary>Where a message for a block can go, as far as this node knows.</summary>
public enum Route
{
    /// <summary>The block's node is a reachable member: send through the shard region.</summary>
    Deliverable,

    /// <summary>
    /// The block is this node's: its clients are all in <see cref="LocalClients"/>, so an id that
    /// is not there is not connected, and the sender is answered at once.
    /// </summary>
    ThisNode,

    /// <summary>The block was leased to a node that is gone or unreachable: its clients cannot be reached.</summary>
    OwnerGone,

    /// <summary>This node has not heard of a lease for the block (yet): ask a majority.</summary>
    Unknown,
}

/// <summary>
/// This node's view of which node leased each id block and which nodes can be reached. Written
/// by <see cref="LeaseDirectory"/>, read lock-free by every connection on its hot path.
/// </summary>
/// <param name="self">This node's address: its own blocks need no registry to be answered.</param>
public sealed class RoutingTable(Address self)
{
    private volatile ImmutableDictionary<long, Address> _owners = ImmutableDictionary<long, Address>.Empty;
    private volatile ImmutableHashSet<Address> _reachable = ImmutableHashSet<Address>.Empty;
    private volatile ImmutableHashSet<Address> _members = ImmutableHashSet<Address>.Empty;
    private long _nextBlock;
    private long _majorityReads;

    /// <summary>How many times this node has read the lease table from a majority (to look up blocks it did not know).</summary>
    public long MajorityReads => Interlocked.Read(ref _majorityReads);

    /// <summary>Where a message for a client of <paramref name="block"/> can go.</summary>
    public Route RouteTo(long block)
    {
        if (!_owners.TryGetValue(block, out var owner))
            return Route.Unknown;
        if (owner == self)
            return Route.ThisNode;
        return _reachable.Contains(owner) ? Route.Deliverable : Route.OwnerGone;
    }

    /// <summary>The node that leased <paramref name="block"/>, if known.</summary>
    public Address? OwnerOf(long block) => _owners.GetValueOrDefault(block);

    /// <summary>
    /// Whether <paramref name="node"/> is a member that holds clients (up or leaving), reachable or
    /// not. A node that left or was removed never is again: its blocks' clients are gone for good.
    /// </summary>
    public bool IsMember(Address node) => _members.Contains(node);

    /// <summary>How many blocks are leased in the whole cluster, as far as this node knows.</summary>
    public int LeasedBlocks => _owners.Count;

    /// <summary>How many blocks <paramref name="node"/> holds, as far as this node knows.</summary>
    public int BlocksOf(Address node) => _owners.Count(pair => pair.Value == node);

    /// <summary>
    /// Whether <paramref name="block"/> was leased once and its lease is gone (given back by its
    /// node, or its node left): none of its ids can be connected, now or ever.
    /// </summary>
    /// <remarks>
    /// The high-water mark and each lease are written in one update, so a table that has the mark
    /// past a block has the block's lease too, unless it was removed since.
    /// </remarks>
    public bool IsRetired(long block) => block < Interlocked.Read(ref _nextBlock) && !_owners.ContainsKey(block);

    internal void SetOwners(ImmutableDictionary<long, Address> owners, long nextBlock)
    {
        _owners = owners;
        Interlocked.Exchange(ref _nextBlock, nextBlock);
    }

    internal void CountMajorityRead() => Interlocked.Increment(ref _majorityReads);

    internal void SetReachable(ImmutableHashSet<Address> reachable) => _reachable = reachable;

    internal void SetMembers(ImmutableHashSet<Address> members) => _members = members;
}
