using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using Relay.Actors.Metrics;
using Relay.Actors.Registry;
using Relay.Actors.Session;

namespace Relay.Actors.Overview;

/// <summary>
/// Keeps the node's <see cref="ClusterOverview"/>: once a second it reports this node to every
/// other member's reporter and republishes the overview from the reports it has, with each node's
/// rates; and it answers other nodes' questions about this node's clients.
/// </summary>
internal sealed class OverviewReporter : ReceiveActor, IWithTimers
{
    /// <summary>The actor's name under /user on every node.</summary>
    public const string Name = "overview";

    private readonly ClusterOverviewState _state;
    private readonly NodeCounters _counters;
    private readonly LocalClients _local;
    private readonly RoutingTable _routes;
    private readonly IActorRef _registry;
    private readonly string _clientEndpoint;
    private readonly TimeSpan _interval;
    private readonly Akka.Cluster.Cluster _cluster = Akka.Cluster.Cluster.Get(Context.System);

    public OverviewReporter(ClusterOverviewState state, NodeServices services, string clientEndpoint, TimeSpan interval)
    {
        _state = state;
        _counters = services.Counters;
        _local = services.Local;
        _routes = services.Routes;
        _registry = services.Registry;
        _clientEndpoint = clientEndpoint;
        _interval = interval;
        Receive<Tick>(_ => ReportAndPublish());
        Receive<NodeReport>(report => _state.Received(Sender.Path.Address, report, DateTimeOffset.UtcNow));
        Receive<ClientDetailsRequest>(request => Sender.Tell(Details(request.Ids)));
        Receive<ShardRegionStats>(stats => _counters.SetRegistryShards(stats.Stats.Count));
    }

    /// <summary>Set by Akka before PreStart.</summary>
    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(ClusterOverviewState state, NodeServices services, string clientEndpoint, TimeSpan interval) =>
        Akka.Actor.Props.Create(() => new OverviewReporter(state, services, clientEndpoint, interval));

    protected override void PreStart()
    {
        ReportAndPublish();
        Timers.StartPeriodicTimer(nameof(Tick), Tick.Instance, _interval);
    }

    private void ReportAndPublish()
    {
        // Counted for the metrics (relay_registry_shards): the region asks each of its shards.
        _registry.Tell(GetShardRegionStats.Instance, Self);
        var report = new NodeReport(
            _clientEndpoint,
            _local.Count,
            _routes.BlocksOf(_cluster.SelfAddress),
            _counters.MessagesIn,
            _counters.MessagesOut,
            (int)_counters.Connected(ClientTransport.Tcp),
            (int)_counters.Connected(ClientTransport.Udp),
            (int)_counters.Connected(ClientTransport.WebSocket));
        var now = DateTimeOffset.UtcNow;
        _state.Received(_cluster.SelfAddress, report, now);

        var state = _cluster.State;
        foreach (var member in state.Members)
        {
            if (member.Address != _cluster.SelfAddress && member.Status == MemberStatus.Up && !state.Unreachable.Contains(member))
                Cluster.PeerNodes.Resolve(Context, member.Address, Name).Tell(report, Self);
        }

        _state.Publish(state, _cluster.SelfAddress, now);
    }

    private ClientDetailsReply Details(long[] ids)
    {
        var found = new List<ClientDetails>(ids.Length);
        foreach (var id in ids.Take(ClusterOverview.MostClientsPerRequest))
        {
            if (_local.TryGet(id, out var inbox) && inbox.Activity is { } activity)
                found.Add(ClientDetails.Of(id, activity));
        }

        return new ClientDetailsReply([.. found]);
    }

    private sealed record Tick
    {
        public static readonly Tick Instance = new();
    }
}
