namespace Relay.Actors.Presence;

/// <summary>What happened to a client of one node.</summary>
public enum PresenceChangeKind : byte
{
    /// <summary>The client connected (it has its id and location record).</summary>
    Online,

    /// <summary>The client left; its room memberships were dropped by <see cref="Leave"/> changes just before.</summary>
    Offline,

    /// <summary>The client joined <see cref="PresenceChange.Room"/>.</summary>
    Join,

    /// <summary>The client left <see cref="PresenceChange.Room"/>.</summary>
    Leave,
}

/// <summary>One change of a node's presence: the unit its replicas are kept current with.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="ClientId">To whom.</param>
/// <param name="Room">For <see cref="PresenceChangeKind.Join"/> and <see cref="PresenceChangeKind.Leave"/>: which room; otherwise empty.</param>
public readonly record struct PresenceChange(PresenceChangeKind Kind, long ClientId, string Room = "");
