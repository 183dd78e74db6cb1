using System.Collections.Immutable;
using Akka.Actor;
using Relay.Actors.Session;

namespace Relay.Actors.Presence;

/// <summary>
/// This node's clients, their rooms and who watches presence: changed by the sessions as their
/// clients connect, join, leave and go, read lock-free by the fan-out actor (room members) and by
/// sessions (WHO, MEMBERS, ROOMS), and shipped to the other nodes as numbered changes by
/// <see cref="PresenceReplicator"/>.
/// </summary>
/// <remarks>
/// A change is visible here the moment the session makes it: a client that joined a room gets the
/// room's next message delivered on this node, and its own MEMBERS lists it. Other nodes see it
/// once the replicator has shipped it (a message's latency later). Writers take a lock; nothing
/// else waits on it.
/// </remarks>
public sealed class NodePresence
{
    private static readonly ImmutableDictionary<long, ClientInbox> NoInboxes = ImmutableDictionary<long, ClientInbox>.Empty;

    private readonly object _gate = new();
    private readonly List<PresenceChange> _pending = new();
    private volatile PresenceView _view = PresenceView.Empty;
    private volatile ImmutableDictionary<string, ImmutableDictionary<long, ClientInbox>> _roomInboxes =
        ImmutableDictionary.Create<string, ImmutableDictionary<long, ClientInbox>>(StringComparer.Ordinal);
    private volatile ImmutableDictionary<long, ClientInbox> _watchers = NoInboxes;
    private IActorRef _replicator = ActorRefs.Nobody;
    private long _changes;

    /// <summary>This node's clients and rooms, now.</summary>
    public PresenceView View => _view;

    /// <summary>The clients that asked to be told when others connect and leave.</summary>
    public ImmutableDictionary<long, ClientInbox> Watchers => _watchers;

    /// <summary>The inboxes of this node's members of <paramref name="room"/>.</summary>
    public ImmutableDictionary<long, ClientInbox> InboxesIn(string room) => _roomInboxes.GetValueOrDefault(room, NoInboxes);

    /// <summary>Where to say that changes wait to be shipped; set once when the replicator starts.</summary>
    internal void AttachReplicator(IActorRef replicator) => _replicator = replicator;

    internal void Online(long clientId) => Record(new PresenceChange(PresenceChangeKind.Online, clientId));

    /// <summary>The client left: it leaves its rooms first, so that replicas need no per-client room index.</summary>
    internal void Offline(long clientId, IEnumerable<string> rooms)
    {
        lock (_gate)
        {
            foreach (var room in rooms)
                LeaveLocked(clientId, room);
            _watchers = _watchers.Remove(clientId);
            RecordLocked(new PresenceChange(PresenceChangeKind.Offline, clientId));
        }
    }

    internal void Join(long clientId, string room, ClientInbox inbox)
    {
        lock (_gate)
        {
            _roomInboxes = _roomInboxes.SetItem(room, InboxesIn(room).SetItem(clientId, inbox));
            RecordLocked(new PresenceChange(PresenceChangeKind.Join, clientId, room));
        }
    }

    internal void Leave(long clientId, string room)
    {
        lock (_gate)
            LeaveLocked(clientId, room);
    }

    internal void Watch(long clientId, ClientInbox inbox, bool on)
    {
        lock (_gate)
            _watchers = on ? _watchers.SetItem(clientId, inbox) : _watchers.Remove(clientId);
    }

    /// <summary>The changes not yet shipped, and the number of the first (changes are numbered from 1).</summary>
    internal (long FirstNumber, PresenceChange[] Changes) TakePending()
    {
        lock (_gate)
        {
            var changes = _pending.ToArray();
            _pending.Clear();
            return (_changes - changes.Length + 1, changes);
        }
    }

    /// <summary>The view now, and the number of the next change, for a snapshot.</summary>
    internal (PresenceView View, long NextNumber) Snapshot()
    {
        lock (_gate)
            return (_view, _changes + 1);
    }

    private void LeaveLocked(long clientId, string room)
    {
        var members = InboxesIn(room).Remove(clientId);
        _roomInboxes = members.IsEmpty ? _roomInboxes.Remove(room) : _roomInboxes.SetItem(room, members);
        RecordLocked(new PresenceChange(PresenceChangeKind.Leave, clientId, room));
    }

    private void Record(PresenceChange change)
    {
        lock (_gate)
            RecordLocked(change);
    }

    private void RecordLocked(PresenceChange change)
    {
        _view = _view.Apply(change);
        _changes++;
        _pending.Add(change);
        // One flush request per batch: changes made while it waits in the mailbox ship with it.
        if (_pending.Count == 1)
            _replicator.Tell(FlushPresence.Instance, ActorRefs.NoSender);
    }
}
