using Akka.Actor;
using Akka.Cluster;
using Akka.DistributedData;
using Akka.Event;

namespace Relay.Actors.Ids;

/// <summary>
/// The cluster singleton that leases blocks of client ids to nodes, and removes the leases that
/// are of no more use: blocks their node released, and every block of a node that left.
/// </summary>
/// <remarks>
/// Its state is the <see cref="LeaseTable"/> in Distributed Data, written to a majority before a
/// lease is handed out and read from a majority when a new incarnation starts, so a crash of its
/// node never lets a block be leased twice.
/// </remarks>
internal sealed class IdAllocator : ReceiveActor, IWithStash, IWithTimers
{
    private const string RetryLoad = "retry-load";
    private const string RetryPrune = "retry-prune";

    private readonly TimeSpan _timeout;
    private readonly IActorRef _replicator = DistributedData.Get(Context.System).Replicator;
    private readonly Akka.Cluster.Cluster _cluster = Akka.Cluster.Cluster.Get(Context.System);
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private long _nextBlock;

    public IdAllocator(TimeSpan majorityTimeout)
    {
        _timeout = majorityTimeout;
        Loading();
    }

    public IStash Stash { get; set; } = null!;

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>Props for the singleton.</summary>
    public static Props Props(TimeSpan majorityTimeout) => Akka.Actor.Props.Create(() => new IdAllocator(majorityTimeout));

    protected override void PreStart()
    {
        _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.MemberRemoved));
        Load();
    }

    protected override void PostStop() => _cluster.Unsubscribe(Self);

    private void Load() => _replicator.Tell(Dsl.Get(LeaseTable.Key, new ReadMajority(_timeout)));

    private void Loading()
    {
        Receive<GetSuccess>(success =>
        {
            _nextBlock = LeaseTable.NextBlock(success.Get(LeaseTable.Key));
            StartServing();
        });
        Receive<NotFound>(_ => StartServing());
        Receive<GetFailure>(_ =>
        {
            // No majority answered: leasing from a stale mark could hand a block out twice.
            _log.Warning("Id allocator cannot read the lease table from a majority of nodes; retrying");
            Timers.StartSingleTimer(RetryLoad, RetryLoad, _timeout);
        });
        Receive<string>(message => message == RetryLoad, _ => Load());
        // Serving starts with a prune of every incarnation that is not a member.
        Receive<ClusterEvent.MemberRemoved>(_ => { });
        ReceiveAny(_ => Stash.Stash());
    }

    private void StartServing()
    {
        _log.Info("Id allocator serving from block {0}", _nextBlock);
        Become(Serving);
        PruneDeparted();
        Stash.UnstashAll();
    }

    private void Serving()
    {
        Receive<LeaseBlock>(request =>
        {
            var block = _nextBlock++;
            var node = request.Requester.Path.Address.HasLocalScope ? _cluster.SelfAddress : request.Requester.Path.Address;
            var owner = new LeaseOwner(node, request.Incarnation);
            Write(new PendingLease(block, request.Requester), table => LeaseTable.WithLease(table, _cluster, block, owner));
        });
        Receive<ReleaseBlocks>(release =>
        {
            var node = Sender.Path.Address.HasLocalScope ? _cluster.SelfAddress : Sender.Path.Address;
            var owner = new LeaseOwner(node, release.Incarnation);
            var blocks = release.Blocks.ToHashSet();
            // Only the incarnation that leased a block gives it back: a late release from a dead
            // incarnation cannot remove a lease its address's next incarnation holds.
            Write(new PendingRelease(release.Blocks, Sender), table => LeaseTable.Without(table, _cluster, (block, leasedTo) => leasedTo == owner && blocks.Contains(block)));
        });
        Receive<ClusterEvent.MemberRemoved>(removed =>
        {
            var gone = removed.Member.UniqueAddress;
            Write(PendingPrune.Instance, table => LeaseTable.Without(table, _cluster, (_, owner) => owner.Is(gone)));
        });
        Receive<string>(message => message == RetryPrune, _ => PruneDeparted());
        Receive<UpdateSuccess>(success =>
        {
            switch (success.Request)
            {
                case PendingLease lease:
                    lease.Requester.Tell(new BlockLeased(lease.Block));
                    break;
                case PendingRelease release:
                    release.Requester.Tell(new BlocksReleased(release.Blocks));
                    break;
            }
        });
        Receive<IUpdateFailure>(failure =>
        {
            var cause = failure is ModifyFailure modify ? modify.Cause : null;
            switch (failure.Request)
            {
                case PendingLease lease:
                    // The write may still reach a majority later, so the block is burnt, never
                    // reused; the pool asks again.
                    _log.Warning(cause, "Lease of id block {0} not confirmed by a majority ({1}); the node will ask again", lease.Block, failure.GetType().Name);
                    break;
                case PendingRelease:
                    // The pool gives the blocks back again at its next check.
                    _log.Debug("Release of id blocks not confirmed by a majority ({0})", failure.GetType().Name);
                    break;
                default:
                    _log.Warning(cause, "Leases of departed nodes not removed ({0}); retrying", failure.GetType().Name);
                    Timers.StartSingleTimer(RetryPrune, RetryPrune, _timeout);
                    break;
            }
        });
    }

    /// <summary>
    /// Removes the leases of every incarnation that is not a member any more. Removal is final in
    /// Akka.Cluster (a member never comes back; a restarted node joins as a new incarnation), and
    /// this singleton's node sees every member that could have leased a block.
    /// </summary>
    private void PruneDeparted()
    {
        var members = _cluster.State.Members.Select(member => member.UniqueAddress).ToList();
        Write(PendingPrune.Instance, table => LeaseTable.Without(table, _cluster, (_, owner) => !members.Exists(owner.Is)));
    }

    private void Write(object request, Func<LWWDictionary<string, string>, LWWDictionary<string, string>> modify) =>
        _replicator.Tell(Dsl.Update(LeaseTable.Key, LWWDictionary<string, string>.Empty, new WriteMajority(_timeout), request: request, modify: modify));

    private sealed record PendingLease(long Block, IActorRef Requester);

    private sealed record PendingRelease(long[] Blocks, IActorRef Requester);

    private sealed record PendingPrune
    {
        public static readonly PendingPrune Instance = new();
    }
}
