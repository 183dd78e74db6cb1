namespace Relay.Client;

/// <summary>
/// Over UDP the node drops a client that has been silent for its idle timeout, and over TCP it closes
/// one that sent no command soon enough after connecting: this tracks when the client last sent
/// anything, and recognises the answers to its own keepalive <c>PING</c>s so that they are not shown
/// as events.
/// </summary>
internal sealed class KeepAlive(TimeSpan interval, bool byReference)
{
    /// <summary>The <c>ref</c> of a keepalive PING in JSON, echoed on its PONG: that PONG is known for sure.</summary>
    public const string Reference = "keepalive";

    // In text a PONG carries nothing to tell whose it is. PONGs come in order, so one that comes while
    // a keepalive PING is unanswered is taken as its answer; but the PING or its PONG may have been
    // lost, so after this long it is no longer expected (else it would swallow the user's next PONG).
    private static readonly TimeSpan PongExpectedFor = TimeSpan.FromSeconds(5);

    private readonly Lock _lock = new();
    private long _lastSent = Environment.TickCount64;
    private int _pongsDue;
    private long _pongsDueUntil;

    /// <summary>How long until a keepalive is due; zero or less: now.</summary>
    public TimeSpan UntilDue =>
        interval - TimeSpan.FromMilliseconds(Environment.TickCount64 - Volatile.Read(ref _lastSent));

    /// <summary>Anything was sent: the node has heard from this client.</summary>
    public void Sent() => Volatile.Write(ref _lastSent, Environment.TickCount64);

    /// <summary>A keepalive PING is about to go out (before it does: its PONG may be quicker than the send's return).</summary>
    public void PingSending()
    {
        if (byReference)
            return;
        lock (_lock)
        {
            _pongsDue++;
            _pongsDueUntil = Environment.TickCount64 + (long)PongExpectedFor.TotalMilliseconds;
        }
    }

    /// <summary>Whether a PONG (with <paramref name="reference"/>, in JSON) answers a keepalive PING.</summary>
    public bool IsOwnPong(string? reference)
    {
        if (byReference)
            return reference == Reference;
        lock (_lock)
        {
            if (_pongsDue > 0 && Environment.TickCount64 <= _pongsDueUntil)
            {
                _pongsDue--;
                return true;
            }

            _pongsDue = 0;
            return false;
        }
    }
}
