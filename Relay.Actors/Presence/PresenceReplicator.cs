using System.Buffers;
using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster;
using Relay.Actors.Cluster;
using Relay.Actors.Fanout;
using Relay.Protocol;

namespace Relay.Actors.Presence;

/// <summary>
/// Keeps every node's presence known to every other node, without a global lock or a cross-node
/// round trip per query: ships this node's changes to its counterparts on the other nodes, keeps
/// their replicas here (<see cref="ClusterPresence"/>), and tells this node's watchers who came
/// and went, wherever.
/// </summary>
/// <remarks>
/// Changes are numbered; a replica that misses one (messages are lost while nodes cannot reach
/// each other) asks for a snapshot and replaces itself. A node that becomes unreachable or is
/// removed drops out of the replicas at once: its clients count as gone (watchers get LEFT) and
/// its room memberships with them; if it comes back, a snapshot brings them back.
/// </remarks>
internal sealed class PresenceReplicator : ReceiveActor, IWithTimers
{
    /// <summary>The actor's name under /user on every node.</summary>
    public const string Name = "presence";

    // A snapshot part or delta of this many changes stays far below the remote frame limit (a change is at most 74 bytes).
    private const int SnapshotPartChanges = 2048;

    // A snapshot request can be lost (the peer's replicator is not started yet, or the address is
    // gated after a failed connect): ask again while a replica is still waiting for one.
    private static readonly TimeSpan SyncRetryInterval = TimeSpan.FromSeconds(1);

    private readonly ClusterPresence _cluster;
    private readonly PeerNodes _peerNodes;
    private readonly Dictionary<Address, Replica> _replicas = new();
    private long _lastSyncToken;

    public PresenceReplicator(ClusterPresence cluster, Address self)
    {
        _cluster = cluster;
        _peerNodes = new PeerNodes(self);
        Receive<FlushPresence>(_ => Flush());
        Receive<PresenceDelta>(HandleDelta);
        Receive<PresenceSnapshot>(HandleSnapshot);
        Receive<PresenceSyncRequest>(request => SendSnapshot(Sender, request.Token));
        Receive<RetrySync>(_ =>
        {
            foreach (var replica in _replicas.Values.Where(replica => replica.Syncing && replica.SyncProgress.Elapsed > SyncRetryInterval))
                RequestSnapshot(replica);
        });
        Receive<ClusterEvent.IMemberEvent>(e => OnPeerChange(_peerNodes.Apply(e)));
        Receive<ClusterEvent.IReachabilityEvent>(e => OnPeerChange(_peerNodes.Apply(e)));
    }

    /// <summary>Set by Akka before PreStart.</summary>
    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(ClusterPresence cluster, Address self) => Akka.Actor.Props.Create(() => new PresenceReplicator(cluster, self));

    protected override void PreStart()
    {
        _cluster.Local.AttachReplicator(Self);
        Akka.Cluster.Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, PeerNodes.Events);
        // Changes made before the replicator was attached wait for a flush.
        Self.Tell(FlushPresence.Instance);
        Timers.StartPeriodicTimer(nameof(RetrySync), RetrySync.Instance, SyncRetryInterval);
    }

    protected override void PostStop() => Akka.Cluster.Cluster.Get(Context.System).Unsubscribe(Self);

    private void Flush()
    {
        var (first, changes) = _cluster.Local.TakePending();
        if (changes.Length == 0)
            return;

        // A burst of changes (a connect storm, a client joining and leaving in a loop) goes out in
        // parts, each far below the remote frame limit.
        for (var offset = 0; offset < changes.Length; offset += SnapshotPartChanges)
        {
            var delta = new PresenceDelta(first + offset, changes[offset..Math.Min(changes.Length, offset + SnapshotPartChanges)]);
            foreach (var replica in _replicas.Values)
                replica.Replicator.Tell(delta, Self);
        }

        TellWatchers(changes);
    }

    private void HandleDelta(PresenceDelta delta)
    {
        if (!_replicas.TryGetValue(Sender.Path.Address, out var replica) || replica.Syncing)
            return;

        var skip = replica.NextNumber - delta.FirstNumber;
        if (skip < 0)
        {
            // A gap: changes were lost. Start over from a snapshot.
            RequestSnapshot(replica);
            return;
        }

        var changes = delta.Changes[(int)Math.Min(skip, delta.Changes.Length)..];
        foreach (var change in changes)
            replica.View = replica.View.Apply(change);
        replica.NextNumber = delta.FirstNumber + delta.Changes.Length;
        Publish();
        TellWatchers(changes);
    }

    private void HandleSnapshot(PresenceSnapshot part)
    {
        if (!_replicas.TryGetValue(Sender.Path.Address, out var replica) || !replica.Syncing
            || part.Token != replica.SyncToken || part.Part != replica.NextPart)
            return;

        replica.NextPart++;
        replica.SyncProgress.Restart();
        foreach (var change in part.Changes)
            replica.Building = replica.Building.Apply(change);
        if (!part.Last)
            return;

        var before = replica.View.Online;
        replica.View = replica.Building;
        replica.Building = PresenceView.Empty;
        replica.NextNumber = part.NextNumber;
        replica.Syncing = false;
        Publish();
        TellWatchers(Diff(before, replica.View.Online));
    }

    private void SendSnapshot(IActorRef requester, long token)
    {
        var (view, next) = _cluster.Local.Snapshot();
        var changes = view.AsChanges().Chunk(SnapshotPartChanges).ToList();
        if (changes.Count == 0)
            changes.Add([]);
        for (var i = 0; i < changes.Count; i++)
            requester.Tell(new PresenceSnapshot(token, i, i == changes.Count - 1, next, changes[i]), Self);
    }

    private void OnPeerChange((Address Peer, bool Reachable)? change)
    {
        if (change is not var (peer, reachable))
            return;

        if (reachable)
        {
            var replica = new Replica(PeerNodes.Resolve(Context, peer, Name));
            _replicas[peer] = replica;
            RequestSnapshot(replica);
        }
        else if (_replicas.Remove(peer, out var gone))
        {
            Publish();
            TellWatchers(Diff(gone.View.Online, PresenceView.Empty.Online));
        }
    }

    private void RequestSnapshot(Replica replica)
    {
        replica.Syncing = true;
        replica.SyncToken = ++_lastSyncToken;
        replica.NextPart = 0;
        replica.SyncProgress.Restart();
        replica.Building = PresenceView.Empty;
        replica.Replicator.Tell(new PresenceSyncRequest(replica.SyncToken), Self);
    }

    private void Publish() => _cluster.SetPeers(_replicas.ToImmutableDictionary(pair => pair.Key, pair => pair.Value.View));

    private static List<PresenceChange> Diff(ImmutableSortedSet<long> before, ImmutableSortedSet<long> after)
    {
        var changes = new List<PresenceChange>();
        foreach (var id in before.Except(after))
            changes.Add(new PresenceChange(PresenceChangeKind.Offline, id));
        foreach (var id in after.Except(before))
            changes.Add(new PresenceChange(PresenceChangeKind.Online, id));
        return changes;
    }

    /// <summary>JOINED/LEFT to this node's watchers, rendered once for all of them.</summary>
    private void TellWatchers(IReadOnlyCollection<PresenceChange> changes)
    {
        var watchers = _cluster.Local.Watchers;
        if (watchers.IsEmpty || changes.Count == 0)
            return;

        var lines = new ArrayBufferWriter<byte>();
        foreach (var change in changes)
        {
            if (change.Kind is PresenceChangeKind.Online or PresenceChangeKind.Offline)
                ServerLines.Presence(lines, change.Kind == PresenceChangeKind.Online, change.ClientId);
        }

        if (lines.WrittenCount == 0)
            return;

        var shared = new FanoutLines(lines.WrittenSpan.ToArray());
        foreach (var watcher in watchers.Values)
            shared.SendTo(watcher);
    }

    private sealed record RetrySync
    {
        public static readonly RetrySync Instance = new();
    }

    private sealed class Replica(IActorRef replicator)
    {
        public IActorRef Replicator { get; } = replicator;

        public PresenceView View { get; set; } = PresenceView.Empty;

        public PresenceView Building { get; set; } = PresenceView.Empty;

        public long NextNumber { get; set; } = 1;

        public bool Syncing { get; set; }

        public long SyncToken { get; set; }

        public int NextPart { get; set; }

        /// <summary>Time since the sync was asked for or last made progress.</summary>
        public System.Diagnostics.Stopwatch SyncProgress { get; } = new();
    }
}
