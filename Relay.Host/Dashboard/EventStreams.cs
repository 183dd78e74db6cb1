namespace Relay.Host.Dashboard;

/// <summary>
/// Counts the open event streams (dashboard pages), each of which the node writes to once a
/// report interval for as long as it stays open, up to a limit.
/// </summary>
internal sealed class EventStreams(int limit)
{
    private int _open;

    /// <summary>Counts one more stream; false (counting nothing) when the limit is open already.</summary>
    public bool TryOpen()
    {
        if (Interlocked.Increment(ref _open) <= limit)
            return true;
        Interlocked.Decrement(ref _open);
        return false;
    }

    /// <summary>A stream opened with <see cref="TryOpen"/> closed.</summary>
    public void Close() => Interlocked.Decrement(ref _open);
}
