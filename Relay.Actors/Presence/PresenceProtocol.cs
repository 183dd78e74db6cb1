using Relay.Actors.Cluster;

namespace Relay.Actors.Presence;

/// <summary>Changes wait in <see cref="NodePresence"/> to be shipped; sent once per batch.</summary>
public sealed record FlushPresence
{
    /// <summary>The one instance.</summary>
    public static readonly FlushPresence Instance = new();
}

/// <summary>
/// Changes of the sending node's presence, numbered consecutively from <paramref name="FirstNumber"/>:
/// a replica that finds a gap (a message lost while the nodes could not reach each other) asks
/// for a snapshot instead of drifting.
/// </summary>
public sealed record PresenceDelta(long FirstNumber, PresenceChange[] Changes) : IRelayClusterMessage;

/// <summary>
/// Asks a node's replicator for a snapshot of its presence (the replica here is missing or has a
/// gap); the snapshot's parts carry <paramref name="Token"/>, so parts of an older request are ignored.
/// </summary>
public sealed record PresenceSyncRequest(long Token) : IRelayClusterMessage;

/// <summary>
/// One part of a snapshot of the sending node's presence, as the changes that build it from
/// nothing. Parts are sized to stay far below the remote frame limit and numbered from 0; the
/// replica is replaced when the <paramref name="Last"/> part arrives, and then expects change
/// <paramref name="NextNumber"/>.
/// </summary>
public sealed record PresenceSnapshot(long Token, int Part, bool Last, long NextNumber, PresenceChange[] Changes) : IRelayClusterMessage;
