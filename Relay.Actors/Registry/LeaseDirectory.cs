using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster;
using Akka.DistributedData;
using Akka.Remote;
using Relay.Actors.Ids;

namespace Relay.Actors.Registry;

/// <summary>Asks a node's <see cref="LeaseDirectory"/> to learn a block's owner from a majority.</summary>
public sealed record ResolveBlock(long Block);

/// <summary>The answer to <see cref="ResolveBlock"/>: the <see cref="RoutingTable"/> now knows what a majority knows.</summary>
public sealed record BlockResolved(long Block);

/// <summary>
/// Keeps this node's <see cref="RoutingTable"/> current: the lease table from Distributed Data
/// (who leased which id block) and cluster membership (who can be reached).
/// </summary>
/// <remarks>
/// A node whose connection to this one broke counts as unreachable at once, until the connection
/// is made again, without waiting for the failure detector: a crashed process resets its TCP
/// connections, and Akka.Remote then drops whatever is sent to that address while it waits to
/// reconnect (<c>retry-gate-closed-for</c>, 5 s). Messages for its clients are answered
/// UNKNOWN_TARGET meanwhile, not lost without a word; membership stays the failure detector's
/// decision (docs/cluster.md, "When a node crashes").
/// </remarks>
/// <remarks>
/// A lookup needs a majority read that begins after it was asked for (only such a read is sure
/// to see every lease the asker could know of). One read is in flight at a time: lookups that
/// arrive meanwhile wait together for the next, so however many clients ask, for however many
/// blocks, the node makes at most one read per read's round trip.
/// </remarks>
internal sealed class LeaseDirectory : ReceiveActor
{
    private readonly RoutingTable _table;
    private readonly TimeSpan _timeout;
    private readonly IActorRef _replicator = DistributedData.Get(Context.System).Replicator;
    private readonly Akka.Cluster.Cluster _cluster = Akka.Cluster.Cluster.Get(Context.System);
    // By unique address: a restarted node has the address of its dead incarnation, and events
    // about the two may interleave.
    private ImmutableHashSet<UniqueAddress> _up = ImmutableHashSet<UniqueAddress>.Empty;
    private ImmutableHashSet<UniqueAddress> _unreachable = ImmutableHashSet<UniqueAddress>.Empty;
    // Nodes whose connection broke and was not made again yet (by address: that is what Akka.Remote reports).
    private ImmutableHashSet<Address> _disconnected = ImmutableHashSet<Address>.Empty;
    // Lookups that wait for the next read, and those the read in flight will answer.
    private List<PendingResolve> _waiting = [];
    private List<PendingResolve>? _reading;

    public LeaseDirectory(RoutingTable table, TimeSpan majorityTimeout)
    {
        _table = table;
        _timeout = majorityTimeout;

        Receive<Changed>(changed => Apply(changed.Get(LeaseTable.Key)));
        Receive<ResolveBlock>(resolve =>
        {
            _waiting.Add(new PendingResolve(resolve.Block, Sender));
            if (_reading is null)
                StartRead();
        });
        Receive<GetSuccess>(success =>
        {
            Apply(success.Get(LeaseTable.Key));
            Answer();
        });
        Receive<NotFound>(_ => Answer());
        // Without a majority this node answers from what it has: an unknown block stays unknown.
        Receive<GetFailure>(_ => Answer());

        Receive<ClusterEvent.CurrentClusterState>(state =>
        {
            _up = state.Members.Where(IsRoutable).Select(m => m.UniqueAddress).ToImmutableHashSet();
            _unreachable = state.Unreachable.Select(m => m.UniqueAddress).ToImmutableHashSet();
            PublishReachable();
        });
        Receive<ClusterEvent.IMemberEvent>(memberEvent =>
        {
            var member = memberEvent.Member.UniqueAddress;
            _up = IsRoutable(memberEvent.Member) ? _up.Add(member) : _up.Remove(member);
            if (memberEvent is ClusterEvent.MemberRemoved)
                _unreachable = _unreachable.Remove(member);
            PublishReachable();
        });
        Receive<ClusterEvent.UnreachableMember>(unreachable =>
        {
            _unreachable = _unreachable.Add(unreachable.Member.UniqueAddress);
            PublishReachable();
        });
        Receive<ClusterEvent.ReachableMember>(reachable =>
        {
            _unreachable = _unreachable.Remove(reachable.Member.UniqueAddress);
            PublishReachable();
        });
        Receive<DisassociatedEvent>(disassociated =>
        {
            _disconnected = _disconnected.Add(disassociated.RemoteAddress);
            PublishReachable();
        });
        Receive<AssociatedEvent>(associated =>
        {
            _disconnected = _disconnected.Remove(associated.RemoteAddress);
            PublishReachable();
        });
    }

    /// <summary>Props for the node's directory.</summary>
    public static Props Props(RoutingTable table, TimeSpan majorityTimeout) =>
        Akka.Actor.Props.Create(() => new LeaseDirectory(table, majorityTimeout));

    protected override void PreStart()
    {
        _replicator.Tell(Dsl.Subscribe(LeaseTable.Key, Self));
        _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsSnapshot,
            typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.IReachabilityEvent));
        Context.System.EventStream.Subscribe(Self, typeof(DisassociatedEvent));
        Context.System.EventStream.Subscribe(Self, typeof(AssociatedEvent));
    }

    protected override void PostStop()
    {
        _cluster.Unsubscribe(Self);
        Context.System.EventStream.Unsubscribe(Self);
    }

    // A node is Leaving only after it has told its clients to reconnect and they have quit or been
    // closed (relay.cluster.leave-timeout, before the cluster-leave phase): a message routed to it
    // then could only be dropped by its shards' hand-off, so its clients count as gone at once.
    private static bool IsRoutable(Member member) =>
        member.Status is MemberStatus.Up or MemberStatus.WeaklyUp;

    private void Apply(LWWDictionary<string, string> leases) =>
        _table.SetOwners(
            LeaseTable.Leases(leases).ToImmutableDictionary(lease => lease.Block, lease => lease.Owner.Address), LeaseTable.NextBlock(leases));

    private void PublishReachable()
    {
        _table.SetMembers(_up.Select(member => member.Address).ToImmutableHashSet());
        _table.SetReachable(_up.Except(_unreachable).Select(member => member.Address).Except(_disconnected).ToImmutableHashSet());
    }

    private void StartRead()
    {
        _reading = _waiting;
        _waiting = [];
        _table.CountMajorityRead();
        _replicator.Tell(Dsl.Get(LeaseTable.Key, new ReadMajority(_timeout)));
    }

    /// <summary>The read in flight is done: answer its lookups, and start the next for those that came meanwhile.</summary>
    private void Answer()
    {
        foreach (var pending in _reading ?? [])
            pending.ReplyTo.Tell(new BlockResolved(pending.Block));
        _reading = null;
        if (_waiting.Count > 0)
            StartRead();
    }

    private sealed record PendingResolve(long Block, IActorRef ReplyTo);
}
