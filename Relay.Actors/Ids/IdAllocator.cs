using System.Globalization;
using Akka.Actor;
using Akka.DistributedData;
using Akka.Event;

namespace Relay.Actors.Ids;

/// <summary>
/// The cluster singleton that leases blocks of client ids to nodes. Its high-water mark is the
/// lease table in Distributed Data, written to a majority before a lease is handed out and read
/// from a majority when a new incarnation starts, so a crash of its node never lets a block be
/// leased twice.
/// </summary>
internal sealed class IdAllocator : ReceiveActor, IWithStash, IWithTimers
{
    /// <summary>Block number → address of the node that leased it. Read by every node to route.</summary>
    public static readonly LWWDictionaryKey<string, string> LeasesKey = new("relay-id-leases");

    private const string RetryLoad = "retry-load";

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

    protected override void PreStart() => Load();

    private void Load() => _replicator.Tell(Dsl.Get(LeasesKey, new ReadMajority(_timeout)));

    private void Loading()
    {
        Receive<GetSuccess>(success =>
        {
            var leases = success.Get(LeasesKey);
            _nextBlock = leases.Entries.Keys.Select(key => long.Parse(key, CultureInfo.InvariantCulture) + 1).DefaultIfEmpty(0).Max();
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
        Receive<LeaseBlock>(_ => Stash.Stash());
    }

    private void StartServing()
    {
        _log.Info("Id allocator serving from block {0}", _nextBlock);
        Become(Serving);
        Stash.UnstashAll();
    }

    private void Serving()
    {
        Receive<LeaseBlock>(request =>
        {
            var block = _nextBlock++;
            var owner = request.Requester.Path.Address.HasLocalScope ? _cluster.SelfAddress : request.Requester.Path.Address;
            _replicator.Tell(Dsl.Update(
                LeasesKey,
                LWWDictionary<string, string>.Empty,
                new WriteMajority(_timeout),
                request: new PendingLease(block, request.Requester),
                modify: leases => leases.SetItem(_cluster, block.ToString(CultureInfo.InvariantCulture), owner.ToString())));
        });
        Receive<UpdateSuccess>(success =>
        {
            var lease = (PendingLease)success.Request!;
            lease.Requester.Tell(new BlockLeased(lease.Block));
        });
        Receive<IUpdateFailure>(failure =>
        {
            // The write may still reach a majority later, so the block is burnt, never reused;
            // the pool asks again.
            var lease = (PendingLease)failure.Request!;
            var cause = failure is ModifyFailure modify ? modify.Cause : null;
            _log.Warning(cause, "Lease of id block {0} not confirmed by a majority ({1}); the node will ask again", lease.Block, failure.GetType().Name);
        });
    }

    private sealed record PendingLease(long Block, IActorRef Requester);
}
