using System.Collections.Immutable;
using Akka.Actor;

namespace Relay.Actors.Presence;

/// <summary>
/// Who is online in the whole cluster and in which rooms: this node's <see cref="NodePresence"/>
/// plus the replicas of the other nodes' presence, which <see cref="PresenceReplicator"/> keeps
/// current. Answers WHO, MEMBERS and ROOMS locally, lock-free, with no cross-node round trip.
/// </summary>
/// <remarks>
/// Other nodes' changes show here once shipped (a message's latency); a node that becomes
/// unreachable drops out at once, with all its clients and their memberships.
/// </remarks>
public sealed class ClusterPresence(NodePresence local)
{
    private volatile ImmutableDictionary<Address, PresenceView> _peers = ImmutableDictionary<Address, PresenceView>.Empty;

    /// <summary>This node's presence.</summary>
    public NodePresence Local => local;

    /// <summary>How many clients are online in the whole cluster.</summary>
    public long OnlineCount => Views().Sum(view => (long)view.Online.Count);

    /// <summary>How many rooms have members in the whole cluster.</summary>
    public int RoomCount => Views().SelectMany(view => view.Rooms).Distinct(StringComparer.Ordinal).Count();

    /// <summary>One page of the ids online, ascending, after <paramref name="after"/>; and how many there are in all.</summary>
    public IdPage Who(long after, int pageSize) => Page(Views().Select(view => view.Online), after, pageSize);

    /// <summary>One page of the members of <paramref name="room"/>, ascending, after <paramref name="after"/>.</summary>
    public IdPage MembersOf(string room, long after, int pageSize) => Page(Views().Select(view => view.MembersOf(room)), after, pageSize);

    /// <summary>One page of the rooms with members, in ordinal order after <paramref name="after"/>, with member counts.</summary>
    public RoomPage Rooms(string after, int pageSize)
    {
        var views = Views().ToArray();
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var view in views)
        {
            // A room among the first pageSize of the cluster is among the first pageSize of every node that has it.
            foreach (var room in After(view.Rooms, after, pageSize + 1))
                names.Add(room);
        }

        var rooms = new List<(string Room, long Members)>(Math.Min(names.Count, pageSize));
        foreach (var room in names.Take(pageSize))
            rooms.Add((room, views.Sum(view => (long)view.MembersOf(room).Count)));
        return new RoomPage(rooms, names.Count > pageSize);
    }

    /// <summary>The replicas of the reachable peers, replaced whole by the replicator.</summary>
    internal void SetPeers(ImmutableDictionary<Address, PresenceView> peers) => _peers = peers;

    private IEnumerable<PresenceView> Views()
    {
        yield return local.View;
        foreach (var view in _peers.Values)
            yield return view;
    }

    private static IdPage Page(IEnumerable<ImmutableSortedSet<long>> sets, long after, int pageSize)
    {
        long total = 0;
        var candidates = new List<long>();
        foreach (var set in sets)
        {
            total += set.Count;
            candidates.AddRange(After(set, after, pageSize + 1));
        }

        candidates.Sort();
        var more = candidates.Count > pageSize;
        if (more)
            candidates.RemoveRange(pageSize, candidates.Count - pageSize);
        return new IdPage(total, candidates.ToArray(), more);
    }

    /// <summary>Up to <paramref name="count"/> items of <paramref name="set"/> greater than <paramref name="after"/>, found by binary search.</summary>
    private static IEnumerable<T> After<T>(ImmutableSortedSet<T> set, T after, int count)
    {
        var index = set.IndexOf(after);
        index = index >= 0 ? index + 1 : ~index;
        for (var end = Math.Min(set.Count, index + count); index < end; index++)
            yield return set[index];
    }
}

/// <summary>One page of ids: <paramref name="Total"/> in all, these, and whether a next page exists.</summary>
public sealed record IdPage(long Total, long[] Ids, bool More);

/// <summary>One page of rooms with their member counts, and whether a next page exists.</summary>
public sealed record RoomPage(IReadOnlyList<(string Room, long Members)> Rooms, bool More);
