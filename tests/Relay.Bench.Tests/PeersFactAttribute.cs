namespace Relay.Bench.Tests;

/// <summary>A fact that needs redis-server and nats-server: skipped, saying why, where they are not installed.</summary>
public sealed class PeersFactAttribute : FactAttribute
{
    public PeersFactAttribute()
    {
        if (PeerServer.Unavailable is { } reason)
            Skip = reason;
    }
}
