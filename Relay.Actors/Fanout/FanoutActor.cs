using System.Buffers;
using System.Text;
using Akka.Actor;
using Akka.Cluster;
using Relay.Actors.Cluster;
using Relay.Actors.Presence;
using Relay.Actors.Registry;
using Relay.Protocol;

namespace Relay.Actors.Fanout;

/// <summary>
/// One per node: delivers broadcasts and room messages to this node's clients, and sends what
/// this node's clients publish to the fan-out actor of every other node, once per node.
/// </summary>
/// <remarks>
/// Each run of messages for one room (or broadcast) in a batch is rendered once and the same
/// immutable lines are told to every recipient, after a reservation in its inbox: a recipient
/// without room is a slow consumer and is disconnected, and nobody waits for it. The sender's
/// session delivers nothing itself, so a broadcast to thousands never holds up its other traffic.
/// Order: a sender's batches go sender → this actor → each node's actor → recipient, FIFO at
/// every hop, so every member gets one sender's messages to a room in the order sent.
/// </remarks>
internal sealed class FanoutActor : ReceiveActor, IWithTimers
{
    /// <summary>The actor's name under /user on every node.</summary>
    public const string Name = "fanout";

    /// <summary>The pseudo id block under which a session's barrier queue tracks fan-out.</summary>
    public const long BarrierBlock = -1;

    // Also how soon a lost hello is repeated.
    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(1);

    private readonly LocalClients _clients;
    private readonly NodePresence _presence;
    private readonly TimeSpan _barrierTimeout;
    private readonly PeerNodes _peerNodes;
    // Reachable peers whose fan-out actor has said hello; batches and barriers go to these.
    private readonly Dictionary<Address, IActorRef> _peers = new();
    private readonly Dictionary<long, PendingBarrier> _barriers = new();
    private readonly ArrayBufferWriter<byte> _lines = new();
    private long _lastBarrier;

    public FanoutActor(LocalClients clients, NodePresence presence, Address self, TimeSpan barrierTimeout)
    {
        _clients = clients;
        _presence = presence;
        _barrierTimeout = barrierTimeout;
        _peerNodes = new PeerNodes(self);
        Receive<PublishFanout>(publish =>
        {
            Deliver(publish.Batch);
            foreach (var peer in _peers.Values)
                peer.Tell(publish.Batch, Self);
        });
        Receive<FanoutBatch>(Deliver);
        Receive<FanoutBarrier>(StartBarrier);
        Receive<PeerBarrier>(barrier => Sender.Tell(new PeerBarrierEcho(barrier.Id), Self));
        Receive<PeerBarrierEcho>(echo => Echoed(echo.Id, Sender.Path.Address));
        Receive<FanoutHello>(hello => OnHello(Sender, hello.AnswerMe));
        Receive<Sweep>(_ =>
        {
            SweepBarriers();
            GreetPeers();
        });
        Receive<ClusterEvent.IMemberEvent>(e => OnPeerChange(_peerNodes.Apply(e)));
        Receive<ClusterEvent.IReachabilityEvent>(e => OnPeerChange(_peerNodes.Apply(e)));
    }

    /// <summary>Set by Akka before PreStart.</summary>
    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(LocalClients clients, NodePresence presence, Address self, TimeSpan barrierTimeout) =>
        Akka.Actor.Props.Create(() => new FanoutActor(clients, presence, self, barrierTimeout));

    protected override void PreStart()
    {
        Akka.Cluster.Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, PeerNodes.Events);
        Timers.StartPeriodicTimer(nameof(Sweep), Sweep.Instance, SweepInterval);
    }

    protected override void PostStop() => Akka.Cluster.Cluster.Get(Context.System).Unsubscribe(Self);

    private void Deliver(FanoutBatch batch)
    {
        ReadOnlySpan<byte> entries = batch.Entries;
        byte[]? runRoom = null;
        while (FanoutEntries.TryRead(ref entries, out var room, out var payload))
        {
            if (runRoom is null || !room.SequenceEqual(runRoom))
            {
                if (runRoom is not null)
                    DeliverRun(runRoom, batch.SenderId);
                runRoom = room.ToArray();
            }

            if (room.IsEmpty)
                ServerLines.Broadcast(_lines, batch.SenderId, payload);
            else
                ServerLines.RoomMessage(_lines, room, batch.SenderId, payload);
        }

        if (runRoom is not null)
            DeliverRun(runRoom, batch.SenderId);
    }

    /// <summary>The lines rendered so far, all for one room (or all broadcasts), to every recipient here but the sender.</summary>
    private void DeliverRun(byte[] room, long senderId)
    {
        var shared = new FanoutLines(_lines.WrittenSpan.ToArray());
        _lines.ResetWrittenCount();
        var recipients = room.Length == 0 ? _clients.All : _presence.InboxesIn(Encoding.ASCII.GetString(room));
        foreach (var (id, inbox) in recipients)
        {
            if (id != senderId)
                shared.SendTo(inbox);
        }
    }

    private void StartBarrier(FanoutBarrier barrier)
    {
        if (_peers.Count == 0)
        {
            Sender.Tell(new BlockBarrier(BarrierBlock, barrier.Token), ActorRefs.NoSender);
            return;
        }

        var id = ++_lastBarrier;
        _barriers[id] = new PendingBarrier(Sender, barrier.Token, new HashSet<Address>(_peers.Keys), DateTime.UtcNow);
        foreach (var peer in _peers.Values)
            peer.Tell(new PeerBarrier(id), Self);
    }

    private void Echoed(long id, Address peer)
    {
        if (_barriers.TryGetValue(id, out var pending) && pending.Awaiting.Remove(peer) && pending.Awaiting.Count == 0)
            Complete(id, pending);
    }

    private void Complete(long id, PendingBarrier pending)
    {
        _barriers.Remove(id);
        pending.Session.Tell(new BlockBarrier(BarrierBlock, pending.Token), ActorRefs.NoSender);
    }

    /// <summary>Barriers a peer never answered (a lost message): the session gave up on them long ago.</summary>
    private void SweepBarriers()
    {
        var cutoff = DateTime.UtcNow - 2 * _barrierTimeout;
        foreach (var (id, pending) in _barriers.Where(pair => pair.Value.Started < cutoff).ToList())
            Complete(id, pending);
    }

    private void OnPeerChange((Address Peer, bool Reachable)? change)
    {
        if (change is not var (peer, reachable))
            return;

        if (reachable)
        {
            PeerNodes.Resolve(Context, peer, Name).Tell(new FanoutHello(AnswerMe: true), Self);
            return;
        }

        _peers.Remove(peer);
        // A node that went away answers no barrier: the others' echoes are enough.
        foreach (var (id, pending) in _barriers.ToList())
        {
            if (pending.Awaiting.Remove(peer) && pending.Awaiting.Count == 0)
                Complete(id, pending);
        }
    }

    /// <summary>A peer's fan-out actor runs: it gets batches from now on.</summary>
    private void OnHello(IActorRef peer, bool answerMe)
    {
        var address = peer.Path.Address;
        if (!_peerNodes.IsReachable(address))
            return;
        _peers[address] = peer;
        if (answerMe)
            peer.Tell(new FanoutHello(AnswerMe: false), Self);
    }

    /// <summary>Hellos can be lost (the peer's actor was not started yet): greet the peers that have not answered.</summary>
    private void GreetPeers()
    {
        foreach (var address in _peerNodes.Reachable.Where(address => !_peers.ContainsKey(address)))
            PeerNodes.Resolve(Context, address, Name).Tell(new FanoutHello(AnswerMe: true), Self);
    }

    private sealed record PendingBarrier(IActorRef Session, long Token, HashSet<Address> Awaiting, DateTime Started);

    private sealed record Sweep
    {
        public static readonly Sweep Instance = new();
    }
}
