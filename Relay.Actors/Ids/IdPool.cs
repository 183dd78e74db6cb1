using Akka;
using Akka.Actor;
using Akka.Event;

namespace Relay.Actors.Ids;

/// <summary>
/// Hands out this node's client ids from the blocks it leased, so a connect costs no cross-node
/// round-trip. The next block is asked for while enough ids remain.
/// </summary>
/// <remarks>
/// Connections that wait for an id (no block yet, the cluster without a majority) are watched: one
/// that gives up and stops while it waits leaves the queue, so no id is spent on it.
/// </remarks>
internal sealed class IdPool : ReceiveActor, IWithTimers
{
    private const string RetryLease = "retry-lease";

    private readonly IActorRef _allocator;
    private readonly IdBlocks _blocks;
    private readonly int _lowWater;
    private readonly TimeSpan _retryAfter;
    private readonly LinkedList<IActorRef> _waiting = new();
    private readonly List<IActorRef> _awaitingReady = new();
    private readonly ILoggingAdapter _log = Context.GetLogger();

    private long _next = 1;
    private long _last; // _next > _last: the current block is used up
    private long? _spare;
    private bool _leasing;

    public IdPool(IActorRef allocator, IdBlocks blocks, int lowWater, TimeSpan retryAfter)
    {
        _allocator = allocator;
        _blocks = blocks;
        _lowWater = lowWater;
        _retryAfter = retryAfter;

        Receive<AssignId>(request =>
        {
            Context.Watch(request.Connection);
            _waiting.AddLast(request.Connection);
            Serve();
        });
        Receive<Terminated>(terminated => Forget(terminated.ActorRef));
        Receive<BlockLeased>(HandleLeased);
        Receive<string>(message => message == RetryLease, _ => RequestLease());
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
    public static Props Props(IActorRef allocator, IdBlocks blocks, int lowWater, TimeSpan retryAfter) =>
        Akka.Actor.Props.Create(() => new IdPool(allocator, blocks, lowWater, retryAfter));

    private long Available => _last - _next + 1 + (_spare is null ? 0 : _blocks.Size);

    protected override void PreStart() => RequestLease();

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
        return true;
    }

    private void RequestLease()
    {
        _leasing = true;
        _allocator.Tell(new LeaseBlock(Self));
        Timers.StartSingleTimer(RetryLease, RetryLease, _retryAfter);
    }
}
