using System.Net;
using System.Reflection;
using Akka;
using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Cluster.Tools.Singleton;
using Akka.Configuration;
using Relay.Actors.Fanout;
using Relay.Actors.Ids;
using Relay.Actors.Metrics;
using Relay.Actors.Overview;
using Relay.Actors.Presence;
using Relay.Actors.Registry;
using Relay.Actors.TcpTransport;
using Relay.Actors.UdpTransport;
using Relay.Actors.WebSocketTransport;

namespace Relay.Actors;

/// <summary>
/// Starts a RelayChat node: joins the cluster, starts the id allocator singleton, the node's id
/// pool and lease directory, the presence replicator and fan-out actor, the sharded registry and
/// the client listener, wired as production
/// wires them. Relay.Host (on an actor system Akka.Hosting made) and the tests both start nodes
/// through here.
/// </summary>
public sealed class RelayNode : IAsyncDisposable
{
    private const string RegistryTypeName = "client-registry";

    private RelayNode(
        ActorSystem system, RelaySettings settings, NodeServices services, IPEndPoint clientEndpoint, int maxConnections, IPEndPoint? udpEndpoint,
        IActorRef webSockets, ClusterOverview overview)
    {
        System = system;
        Services = services;
        Settings = settings;
        ClientEndpoint = clientEndpoint;
        MaxConnections = maxConnections;
        UdpEndpoint = udpEndpoint;
        WebSockets = webSockets;
        Overview = overview;
    }

    /// <summary>Where accepted WebSockets go to be served as clients (<see cref="ServeWebSocket"/>).</summary>
    public IActorRef WebSockets { get; }

    /// <summary>The whole cluster as this node sees it, for the dashboard.</summary>
    public ClusterOverview Overview { get; }

    /// <summary>
    /// Whether the node should get new clients now, and if not why: it must be an Up member of the
    /// cluster and not shutting down (which starts with telling its clients to reconnect elsewhere).
    /// </summary>
    public (bool Ready, string Reason) Readiness()
    {
        if (CoordinatedShutdown.Get(System).ShutdownReason is not null || System.WhenTerminated.IsCompleted)
            return (false, "shutting down");
        var cluster = Akka.Cluster.Cluster.Get(System);
        var self = cluster.SelfMember;
        if (self.Status != Akka.Cluster.MemberStatus.Up)
            return (false, $"cluster member status is {self.Status}");
        return (true, "up");
    }

    /// <summary>The node's actor system.</summary>
    public ActorSystem System { get; }

    /// <summary>What the node's connections talk to: registry, routing table, presence.</summary>
    public NodeServices Services { get; }

    /// <summary>The settings the node runs with.</summary>
    public RelaySettings Settings { get; }

    /// <summary>Where clients connect (the actual port when 0 was asked for).</summary>
    public IPEndPoint ClientEndpoint { get; }

    /// <summary>Where UDP clients send (the actual port when 0 was asked for); null when UDP is off.</summary>
    public IPEndPoint? UdpEndpoint { get; }

    /// <summary>Most clients connected at once (relay.client-endpoint.max-connections, resolved).</summary>
    public int MaxConnections { get; }

    /// <summary>Where other nodes reach this one (the actual port when 0 was asked for).</summary>
    public Address ClusterAddress => Akka.Cluster.Cluster.Get(System).SelfAddress;

    /// <summary>Completes when the node has shut down, for whatever reason.</summary>
    public Task WhenTerminated => System.WhenTerminated;

    /// <summary>The defaults from hocon/relay.conf, embedded in this assembly.</summary>
    public static Config DefaultConfig()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Relay.Actors.relay.conf")
            ?? throw new InvalidOperationException("relay.conf is not embedded in Relay.Actors; the build is broken.");
        using var reader = new StreamReader(stream);
        return ConfigurationFactory.ParseString(reader.ReadToEnd());
    }

    /// <summary>
    /// The node's config: <paramref name="overrides"/> (HOCON, e.g. from the command line) over the
    /// file at <paramref name="configFile"/> (if any) over the embedded defaults.
    /// </summary>
    public static Config LoadConfig(string? configFile = null, string? overrides = null)
    {
        var config = DefaultConfig();
        if (configFile is not null)
            config = ConfigurationFactory.ParseString(File.ReadAllText(configFile)).WithFallback(config);
        if (!string.IsNullOrWhiteSpace(overrides))
            config = ConfigurationFactory.ParseString(overrides).WithFallback(config);
        return config;
    }

    /// <summary>
    /// Starts a node and returns once it is a cluster member with ids to give and accepts clients.
    /// Waits as long as it takes to join (seeds may start later) unless <paramref name="cancellation"/> fires.
    /// </summary>
    public static async Task<RelayNode> StartAsync(Config config, CancellationToken cancellation = default, string systemName = "relay")
    {
        var settings = RelaySettings.Create(config);
        RefuseTakenPorts(settings, config.GetString("akka.remote.dot-netty.tcp.hostname"), config.GetInt("akka.remote.dot-netty.tcp.port"));
        var system = ActorSystem.Create(systemName, WithExtensionDefaults(config));
        try
        {
            return await StartAsync(system, settings, cancellation).ConfigureAwait(false);
        }
        catch
        {
            await system.Terminate().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// <paramref name="config"/> with the defaults of the extensions the node uses as fallback. The
    /// extensions' serializers must be known from the first gossip on, not from the moment the
    /// extension is first used, or early messages from other nodes fail to deserialize.
    /// </summary>
    public static Config WithExtensionDefaults(Config config) => config
        .WithFallback(ClusterSharding.DefaultConfig())
        .WithFallback(ClusterSingleton.DefaultConfig())
        .WithFallback(Akka.DistributedData.DistributedData.DefaultConfig());

    /// <summary>
    /// Starts a node on <paramref name="system"/> (made from <see cref="WithExtensionDefaults"/> of
    /// the node's config, e.g. by Akka.Hosting) and returns once it is a cluster member with ids to
    /// give and accepts clients. The caller owns the system: on failure it is not terminated here.
    /// </summary>
    public static async Task<RelayNode> StartAsync(ActorSystem system, RelaySettings settings, CancellationToken cancellation = default)
    {
        LoadLazyAssemblies();
        {
            var services = await StartClusterAsync(system, settings, cancellation).ConfigureAwait(false);
            var listener = system.ActorOf(RelayListener.Props(settings, services), "listener");
            var bound = await listener.Ask<ListenerBound>(AwaitBinding.Instance, TimeSpan.FromSeconds(10), cancellation).ConfigureAwait(false);
            IActorRef? udp = null;
            IPEndPoint? udpEndpoint = null;
            if (settings.Udp.Port is not null)
            {
                udp = system.ActorOf(UdpTransport.UdpEndpoint.Props(settings, services), "udp");
                var udpBound = await udp.Ask<UdpBound>(AwaitBinding.Instance, TimeSpan.FromSeconds(10), cancellation).ConfigureAwait(false);
                udpEndpoint = (IPEndPoint)udpBound.Endpoint;
            }

            var shutdown = CoordinatedShutdown.Get(system);
            // Clients first: refuse new ones, send the connected ones elsewhere, close the port;
            // only then does the node leave the cluster (later phases) and hand its shards over.
            var leaveTimeout = settings.Cluster.LeaveTimeout;
            shutdown.AddTask(CoordinatedShutdown.PhaseServiceUnbind, "stop-listening",
                () => listener.Ask<Done>(new StopListening(leaveTimeout), leaveTimeout + TimeSpan.FromSeconds(2)));
            if (udp is not null)
            {
                shutdown.AddTask(CoordinatedShutdown.PhaseServiceUnbind, "stop-udp",
                    () => udp.Ask<Done>(new StopListening(leaveTimeout), leaveTimeout + TimeSpan.FromSeconds(2)));
            }

            var webSockets = system.ActorOf(WebSocketEndpoint.Props(services, settings), "websockets");
            shutdown.AddTask(CoordinatedShutdown.PhaseServiceUnbind, "stop-websockets",
                () => webSockets.Ask<Done>(new StopListening(leaveTimeout), leaveTimeout + TimeSpan.FromSeconds(2)));

            var overview = StartOverview(system, services, settings, (IPEndPoint)bound.Endpoint);
            var meter = new RelayMeter(services.Counters, services.Local, services.Presence, services.Routes, Akka.Cluster.Cluster.Get(system));
            _ = system.WhenTerminated.ContinueWith(_ => meter.Dispose(), TaskScheduler.Default);
            return new RelayNode(system, settings, services, (IPEndPoint)bound.Endpoint, bound.MaxConnections, udpEndpoint, webSockets, overview);
        }
    }

    private static ClusterOverview StartOverview(ActorSystem system, NodeServices services, RelaySettings settings, IPEndPoint clientEndpoint)
    {
        var overview = new ClusterOverview(system, services.Local, services.Routes, services.Blocks);
        system.ActorOf(
            OverviewReporter.Props(new ClusterOverviewState(overview), services, clientEndpoint.ToString(), settings.Dashboard.ReportInterval),
            OverviewReporter.Name);
        return overview;
    }

    /// <summary>
    /// Refuses to start, with a message that says what to do, when the client port or the cluster
    /// port is in use: binding them later would fail less clearly (and the cluster port after the
    /// actor system started).
    /// </summary>
    public static void RefuseTakenPorts(RelaySettings settings, string clusterHost, int clusterPort)
    {
        if (PortProbe.IsTaken(settings.Host, settings.Port))
            throw new InvalidOperationException(RelayListener.CannotListen(settings.Host, settings.Port, "Address already in use"));

        if (PortProbe.IsTaken(clusterHost, clusterPort))
            throw new InvalidOperationException(
                $"Cluster port {clusterHost}:{clusterPort} is in use by another process (another node?). " +
                "Give each node on one machine its own --cluster-port (0 picks a free one).");
    }

    /// <summary>
    /// Loads now the assemblies the node would otherwise load on first use. A first use while the
    /// process is out of file descriptors (a connect storm) cannot open the assembly's file, and
    /// .NET remembers a failed assembly load for good: Distributed Data compresses its first large
    /// value with System.IO.Compression, so the id lease table could never be written again and
    /// the node would give no ids until restarted. (Its native zlib is loaded on first use too, but
    /// a failed native load is retried, so the next lease succeeds.)
    /// </summary>
    private static void LoadLazyAssemblies() => GC.KeepAlive(typeof(global::System.IO.Compression.GZipStream).Assembly);

    /// <summary>Shuts the node down through CoordinatedShutdown, as Ctrl+C does.</summary>
    public async ValueTask DisposeAsync() =>
        await CoordinatedShutdown.Get(System).Run(CoordinatedShutdown.ClrExitReason.Instance).ConfigureAwait(false);

    private static async Task<NodeServices> StartClusterAsync(ActorSystem system, RelaySettings settings, CancellationToken cancellation)
    {
        var cluster = Akka.Cluster.Cluster.Get(system);
        if (system.Settings.Config.GetStringList("akka.cluster.seed-nodes").Count == 0)
            cluster.Join(cluster.SelfAddress);

        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        cluster.RegisterOnMemberUp(() => up.TrySetResult());
        await up.Task.WaitAsync(cancellation).ConfigureAwait(false);

        var timeout = settings.Cluster.MajorityTimeout;
        var blocks = new IdBlocks(settings.Cluster.IdBlockSize);
        var routes = new RoutingTable(cluster.SelfAddress);
        var directory = system.ActorOf(LeaseDirectory.Props(routes, timeout), "lease-directory");
        var local = new LocalClients();
        var presence = new ClusterPresence(new NodePresence());
        system.ActorOf(PresenceReplicator.Props(presence, cluster.SelfAddress), PresenceReplicator.Name);
        var fanout = system.ActorOf(
            FanoutActor.Props(local, presence.Local, cluster.SelfAddress, settings.Connection.BarrierTimeout), FanoutActor.Name);

        system.ActorOf(
            ClusterSingletonManager.Props(IdAllocator.Props(timeout), PoisonPill.Instance, ClusterSingletonManagerSettings.Create(system)),
            "id-allocator");
        var allocator = system.ActorOf(
            ClusterSingletonProxy.Props("/user/id-allocator", ClusterSingletonProxySettings.Create(system)),
            "id-allocator-proxy");
        var release = new IdPoolRelease(cluster.SelfUniqueAddress.Uid, local, settings.Connection.RegisterTimeout * 2, settings.Cluster.IdReleaseInterval);
        var pool = system.ActorOf(IdPool.Props(allocator, blocks, settings.Cluster.IdLowWater, timeout * 2, release), "id-pool");

        var registry = await ClusterSharding.Get(system).StartAsync(
            RegistryTypeName,
            BlockRegistry.Props(local, settings.Cluster.EmptyRegistryIdle),
            ClusterShardingSettings.Create(system),
            new BlockMessageExtractor(blocks),
            new BlockOwnerAllocation(routes, directory, cluster.SelfAddress, timeout),
            PoisonPill.Instance).ConfigureAwait(false);

        await pool.Ask<Done>(AwaitIds.Instance, Timeout.InfiniteTimeSpan, cancellation).ConfigureAwait(false);
        return new NodeServices(pool, registry, directory, routes, blocks, local, fanout, presence, new NodeCounters());
    }
}
