using System.Collections.Immutable;

namespace Relay.Actors.Presence;

/// <summary>
/// The clients of one node and the rooms they are in, as an immutable value: the node keeps its
/// own current under a lock, and every other node keeps a replica of it (<see cref="PresenceReplicator"/>).
/// Readers (WHO, MEMBERS, ROOMS) take it without locking.
/// </summary>
/// <remarks>
/// Sorted sets, so a page of ids or rooms after a cursor is found by binary search, not by a scan:
/// a page costs O(page × log n) however large the cluster.
/// </remarks>
public sealed class PresenceView
{
    private static readonly ImmutableSortedSet<long> NoIds = ImmutableSortedSet<long>.Empty;

    /// <summary>No clients, no rooms.</summary>
    public static readonly PresenceView Empty = new(
        NoIds, ImmutableSortedSet.Create<string>(StringComparer.Ordinal), ImmutableDictionary.Create<string, ImmutableSortedSet<long>>(StringComparer.Ordinal));

    private PresenceView(ImmutableSortedSet<long> online, ImmutableSortedSet<string> rooms, ImmutableDictionary<string, ImmutableSortedSet<long>> members)
    {
        Online = online;
        Rooms = rooms;
        Members = members;
    }

    /// <summary>The ids of the node's clients.</summary>
    public ImmutableSortedSet<long> Online { get; }

    /// <summary>The rooms that have at least one member on the node, in ordinal order.</summary>
    public ImmutableSortedSet<string> Rooms { get; }

    /// <summary>The members of each room of <see cref="Rooms"/>.</summary>
    public ImmutableDictionary<string, ImmutableSortedSet<long>> Members { get; }

    /// <summary>The members of <paramref name="room"/> on the node (empty if none).</summary>
    public ImmutableSortedSet<long> MembersOf(string room) => Members.GetValueOrDefault(room, NoIds);

    /// <summary>The view after <paramref name="change"/>.</summary>
    public PresenceView Apply(PresenceChange change)
    {
        switch (change.Kind)
        {
            case PresenceChangeKind.Online:
                return new PresenceView(Online.Add(change.ClientId), Rooms, Members);
            case PresenceChangeKind.Offline:
                return new PresenceView(Online.Remove(change.ClientId), Rooms, Members);
            case PresenceChangeKind.Join:
                return new PresenceView(Online, Rooms.Add(change.Room), Members.SetItem(change.Room, MembersOf(change.Room).Add(change.ClientId)));
            case PresenceChangeKind.Leave:
                var members = MembersOf(change.Room).Remove(change.ClientId);
                return members.IsEmpty
                    ? new PresenceView(Online, Rooms.Remove(change.Room), Members.Remove(change.Room))
                    : new PresenceView(Online, Rooms, Members.SetItem(change.Room, members));
            default:
                throw new ArgumentOutOfRangeException(nameof(change), change.Kind, null);
        }
    }

    /// <summary>The changes that build this view from <see cref="Empty"/>: what a snapshot sends.</summary>
    public IEnumerable<PresenceChange> AsChanges()
    {
        foreach (var id in Online)
            yield return new PresenceChange(PresenceChangeKind.Online, id);
        foreach (var (room, members) in Members)
        {
            foreach (var id in members)
                yield return new PresenceChange(PresenceChangeKind.Join, id, room);
        }
    }
}
