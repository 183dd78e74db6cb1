using System.Net;
using System.Reflection;
using Akka;
using Akka.Actor;
using Akka.Configuration;
using Relay.Actors.Registry;
using Relay.Actors.Tcp;

namespace Relay.Actors;

/// <summary>
/// Starts a RelayChat node: the registry and the client listener, wired as production wires them.
/// Relay.Host and the tests both start nodes through here.
/// </summary>
public sealed class RelayNode : IAsyncDisposable
{
    private RelayNode(ActorSystem system, RelaySettings settings, IPEndPoint clientEndpoint)
    {
        System = system;
        Settings = settings;
        ClientEndpoint = clientEndpoint;
    }

    /// <summary>The node's actor system.</summary>
    public ActorSystem System { get; }

    /// <summary>The settings the node runs with.</summary>
    public RelaySettings Settings { get; }

    /// <summary>Where clients connect (the actual port when 0 was asked for).</summary>
    public IPEndPoint ClientEndpoint { get; }

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

    /// <summary>Starts a node and returns once it accepts clients; throws if it cannot listen.</summary>
    public static async Task<RelayNode> StartAsync(Config config, string systemName = "relay")
    {
        var settings = RelaySettings.Create(config);
        var system = ActorSystem.Create(systemName, config);
        try
        {
            var registry = system.ActorOf(ClientRegistry.Props(), "registry");
            var listener = system.ActorOf(RelayListener.Props(settings, registry), "listener");
            var bound = await listener.Ask<ListenerBound>(AwaitBinding.Instance, TimeSpan.FromSeconds(10)).ConfigureAwait(false);

            // First step of any shutdown: stop taking new clients.
            CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseServiceUnbind, "stop-listening",
                () => listener.Ask<Done>(StopListening.Instance, TimeSpan.FromSeconds(5)));
            return new RelayNode(system, settings, (IPEndPoint)bound.Endpoint);
        }
        catch
        {
            await system.Terminate().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Shuts the node down through CoordinatedShutdown, as Ctrl+C does.</summary>
    public async ValueTask DisposeAsync() =>
        await CoordinatedShutdown.Get(System).Run(CoordinatedShutdown.ClrExitReason.Instance).ConfigureAwait(false);
}
