using Akka;
using Akka.Actor;
using Akka.Event;
using Relay.Actors.Registry;

namespace Relay.Actors.Ids;

/// <summary>
/// Hands out this node's client ids from the blocks it leased, so a connect costs no cross-node
/// round-trip. The next block is asked for while enough ids remain.
/// </summary>
/// <remarks>
/// A block whose ids are all handed out is given back once none of its clients is connected any
/// more (checked every <c>relay.cluster.id-release-interval</c>, and not before twice
/// <c>relay.connection.register-timeout</c> after its last id went out, by which time every
/// connection that got one of its ids is registered or gone): its lease and its registry shard
/// are then removed, so a node's share of the cluster's state follows its clients, not its history.
/// </remarks>
/// <remarks>
/// Connections that wait for an id (no block yet, the cluster without a majority) are watched: one
/// that gives up and stops while it waits leaves the queue, so no id is spent on it.
/// </remarks>
internal sealed class IdPool : ReceiveActor, IWithTimers
{
    private const string RetryLease = "retry-lease";
    private const string CheckUsedUp = "check-used-up";
    // Bounds one release message (8 bytes a block) far below the remoting frame size.
    private const int MostReleasedAtOnce = 1000;

    private readonly IActorRef _allocator;
    private readonly IdBlocks _blocks;
    private readonly int _lowWater;
    private readonly TimeSpan _retryAfter;
    private readonly LinkedList<IActorRef> _waiting = new();
    private readonly List<IActorRef> _awaitingReady = new();
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly long _incarnation;
    private readonly LocalClients _local;
    private readonly TimeSpan _releaseAfter;
    private readonly TimeSpan _releaseInterval;
    // Blocks whose ids are all handed out and which are not released yet.
    private readonly Dictionary<long, UsedUpBlock> _usedUp = new();

    private long _next = 1;
    private long _last; // _next > _last: the current block is used up
    private long? _spare;
    private bool _leasing;

    public IdPool(IActorRef allocator, IdBlocks blocks, int lowWater, TimeSpan retryAfter, IdPoolRelease release)
    {
        _allocator = allocator;
        _blocks = blocks;
        _lowWater = lowWater;
        _retryAfter = retryAfter;
        _incarnation = release.Incarnation;
        _local = release.Local;
        _releaseAfter = release.After;
        _releaseInterval = release.Interval;

        Receive<AssignId>(request =>
        {
            Context.Watch(request.Connection);
            _waiting.AddLast(request.Connection);
            Serve();
        });
        Receive<Terminated>(terminated => Forget(terminated.ActorRef));
        Receive<BlockLeased>(HandleLeased);
        Receive<string>(message => message == RetryLease, _ => RequestLease());
        Receive<string>(message => message == CheckUsedUp, _ => ReleaseUsedUp());
        Receive<BlocksReleased>(released =>
        {
            foreach (var block in released.Blocks)
                _usedUp.Remove(block);
            _log.Debug("Released {0} used-up id blocks", released.Blocks.Length);
        });
        Receive<AwaitIds>(_ =>
        {
            if (Available > 0)
                Sender.Tell(Done.Instance);
            else
                _awaitingReady.Add(Sender);
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>Props for the node's pool.</summary>
    public static Props Props(IActorRef allocator, IdBlocks blocks, int lowWater, TimeSpan retryAfter, IdPoolRelease release) =>
        Akka.Actor.Props.Create(() => new IdPool(allocator, blocks, lowWater, retryAfter, release));

    private long Available => _last - _next + 1 + (_spare is null ? 0 : _blocks.Size);

    protected override void PreStart()
    {
        RequestLease();
        Timers.StartPeriodicTimer(CheckUsedUp, CheckUsedUp, _releaseInterval);
    }

    private void HandleLeased(BlockLeased leased)
    {
        if (_next > _last)
        {
            _next = _blocks.FirstIdOf(leased.Block);
            _last = _blocks.LastIdOf(leased.Block);
        }
        else if (_spare is null)
        {
            _spare = leased.Block;
        }
        else
        {
            // A retry crossed a slow answer: two blocks arrived for one need. Ids are plentiful.
            _log.Debug("Extra id block {0} leased; left unused", leased.Block);
            _usedUp[leased.Block] = new UsedUpBlock(DateTime.UtcNow);
        }

        _log.Debug("Leased id block {0}", leased.Block);
        _leasing = false;
        Timers.Cancel(RetryLease);
        foreach (var asker in _awaitingReady)
            asker.Tell(Done.Instance);
        _awaitingReady.Clear();
        Serve();
    }

    private void Serve()
    {
        while (_waiting.First is { } next && TryTake(out var id))
        {
            _waiting.RemoveFirst();
            Context.Unwatch(next.Value);
            next.Value.Tell(new IdAssigned(id));
        }

        if (Available < _lowWater && !_leasing)
            RequestLease();
    }

    /// <summary>A waiting connection stopped (it gave up, or its client left): no id for it.</summary>
    private void Forget(IActorRef connection)
    {
        if (_waiting.Remove(connection))
            _log.Debug("A connection stopped while waiting for an id; it gets none");
    }

    private bool TryTake(out long id)
    {
        if (_next > _last && _spare is { } spare)
        {
            _next = _blocks.FirstIdOf(spare);
            _last = _blocks.LastIdOf(spare);
            _spare = null;
        }

        id = _next;
        if (_next > _last)
            return false;
        _next++;
        if (_next > _last)
            _usedUp[_blocks.BlockOf(id)] = new UsedUpBlock(DateTime.UtcNow);
        return true;
    }

    /// <summary>Gives back the used-up blocks whose clients have all left (see the class remarks).</summary>
    private void ReleaseUsedUp()
    {
        var releasable = new List<long>();
        var handedOutBefore = DateTime.UtcNow - _releaseAfter;
        foreach (var (block, usedUp) in _usedUp)
        {
            if (usedUp.Since <= handedOutBefore && !HasClientsHere(block, usedUp))
                releasable.Add(block);
            if (releasable.Count == MostReleasedAtOnce)
                break;
        }

        // Unconfirmed releases (no majority, a lost message) are simply sent again next time.
        if (releasable.Count > 0)
            _allocator.Tell(new ReleaseBlocks(_incarnation, releasable.ToArray()));
    }

    /// <summary>Whether any id of <paramref name="block"/> is connected here, trying the one seen last time first.</summary>
    private bool HasClientsHere(long block, UsedUpBlock usedUp)
    {
        if (usedUp.Witness is { } witness && _local.TryGet(witness, out _))
            return true;
        for (var id = _blocks.FirstIdOf(block); id <= _blocks.LastIdOf(block); id++)
        {
            if (_local.TryGet(id, out _))
            {
                usedUp.Witness = id;
                return true;
            }
        }

        return false;
    }

    private void RequestLease()
    {
        _leasing = true;
        _allocator.Tell(new LeaseBlock(Self, _incarnation));
        Timers.StartSingleTimer(RetryLease, RetryLease, _retryAfter);
    }

    private sealed class UsedUpBlock(DateTime since)
    {
        /// <summary>When its last id was handed out (or, for a block never used, when it came).</summary>
        public DateTime Since { get; } = since;

        /// <summary>An id of the block last seen connected: usually still is, which spares a scan.</summary>
        public long? Witness { get; set; }
    }
}
