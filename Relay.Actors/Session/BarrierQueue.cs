namespace Relay.Actors.Session;

/// <summary>Why a connection waits for its earlier lines to be answered.</summary>
internal enum BarrierPurpose
{
    /// <summary>Answer PING with PONG.</summary>
    Ping,

    /// <summary>Close the connection (QUIT or end of input).</summary>
    Drain,

    /// <summary>
    /// Confirm that the registry entities of other nodes have handled the batches sent to them so
    /// far: until then the session reads no further than one more window ahead.
    /// </summary>
    Flow,
}

/// <summary>
/// Tracks the barriers a connection has sent to the registry entities it wrote to, and releases
/// them strictly in order: a barrier is done when every entity written to since the previous
/// barrier has echoed it, and the previous barrier is done. Pure bookkeeping, no actors.
/// </summary>
internal sealed class BarrierQueue
{
    private readonly HashSet<long> _touched = new();
    private readonly LinkedList<Pending> _pending = new();
    private long _lastToken;

    /// <summary>True while some barrier waits for echoes.</summary>
    public bool IsWaiting => _pending.Count > 0;

    /// <summary>Barriers of <paramref name="purpose"/> not yet completed.</summary>
    public int PendingOf(BarrierPurpose purpose)
    {
        var count = 0;
        foreach (var pending in _pending)
        {
            if (pending.Purpose == purpose)
                count++;
        }

        return count;
    }

    /// <summary>Notes that an envelope went to the entity of <paramref name="block"/>.</summary>
    public void Touched(long block) => _touched.Add(block);

    /// <summary>
    /// Starts a barrier: returns its token and the blocks to send it to (those written to since the
    /// last barrier). With no such block it is done as soon as those before it are.
    /// </summary>
    public (long Token, long[] Blocks) Start(BarrierPurpose purpose)
    {
        var token = ++_lastToken;
        var blocks = _touched.ToArray();
        _touched.Clear();
        _pending.AddLast(new Pending(token, blocks.Length, purpose));
        return (token, blocks);
    }

    /// <summary>An entity echoed barrier <paramref name="token"/>.</summary>
    public void Echoed(long token)
    {
        for (var node = _pending.First; node is not null; node = node.Next)
        {
            if (node.Value.Token == token)
            {
                node.Value.Remaining--;
                return;
            }
        }
    }

    /// <summary>Gives up waiting on the oldest barrier (an entity's node went away); it completes next.</summary>
    public void ExpireOldest()
    {
        if (_pending.First is { } oldest)
            oldest.Value.Remaining = 0;
    }

    /// <summary>Takes the next completed barrier, in order.</summary>
    public bool TryComplete(out BarrierPurpose purpose)
    {
        if (_pending.First is { Value.Remaining: <= 0 } done)
        {
            _pending.RemoveFirst();
            purpose = done.Value.Purpose;
            return true;
        }

        purpose = default;
        return false;
    }

    private sealed class Pending(long token, int remaining, BarrierPurpose purpose)
    {
        public long Token { get; } = token;

        public int Remaining { get; set; } = remaining;

        public BarrierPurpose Purpose { get; } = purpose;
    }
}
