using Akka.Actor;
using Akka.Cluster;

namespace Relay.Actors.Cluster;

/// <summary>
/// The other nodes that are up and reachable, kept from cluster events by the node-wide actors
/// that talk to their counterpart on every node (fan-out, presence). Pure bookkeeping.
/// </summary>
/// <param name="self">This node, never a peer of itself.</param>
internal sealed class PeerNodes(Address self)
{
    private readonly HashSet<Address> _up = new();
    private readonly HashSet<Address> _unreachable = new();

    /// <summary>The cluster events to subscribe to (with initial state as events).</summary>
    public static readonly Type[] Events =
        [typeof(ClusterEvent.MemberUp), typeof(ClusterEvent.MemberRemoved), typeof(ClusterEvent.UnreachableMember), typeof(ClusterEvent.ReachableMember)];

    /// <summary>The peers messages can go to now.</summary>
    public IEnumerable<Address> Reachable => _up.Where(address => !_unreachable.Contains(address));

    /// <summary>True when <paramref name="address"/> is a peer messages can go to.</summary>
    public bool IsReachable(Address address) => _up.Contains(address) && !_unreachable.Contains(address);

    /// <summary>Applies a cluster event; returns the peer that became reachable or stopped being so, if any.</summary>
    public (Address Peer, bool Reachable)? Apply(ClusterEvent.IMemberEvent memberEvent) => memberEvent switch
    {
        ClusterEvent.MemberUp up when up.Member.Address != self && _up.Add(up.Member.Address) && !_unreachable.Contains(up.Member.Address)
            => (up.Member.Address, true),
        ClusterEvent.MemberRemoved removed when _up.Remove(removed.Member.Address) | _unreachable.Remove(removed.Member.Address)
            => (removed.Member.Address, false),
        _ => null,
    };

    /// <summary>Applies a reachability event; returns the peer that became reachable or stopped being so, if any.</summary>
    public (Address Peer, bool Reachable)? Apply(ClusterEvent.IReachabilityEvent reachabilityEvent) => reachabilityEvent switch
    {
        ClusterEvent.UnreachableMember unreachable when unreachable.Member.Address != self && _unreachable.Add(unreachable.Member.Address)
            && _up.Contains(unreachable.Member.Address)
            => (unreachable.Member.Address, false),
        ClusterEvent.ReachableMember reachable when _unreachable.Remove(reachable.Member.Address) && _up.Contains(reachable.Member.Address)
            => (reachable.Member.Address, true),
        _ => null,
    };

    /// <summary>The actor at <paramref name="name"/> under /user on <paramref name="peer"/>.</summary>
    public static IActorRef Resolve(IActorContext context, Address peer, string name) =>
        ((ExtendedActorSystem)context.System).Provider.ResolveActorRef(new RootActorPath(peer) / "user" / name);
}
