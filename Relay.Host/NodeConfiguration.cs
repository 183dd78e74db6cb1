using Akka.Configuration;
using Akka.Remote.Hosting;
using Relay.Actors;
using Relay.Host.ClusterTls;

namespace Relay.Host;

/// <summary>
/// What a node runs with: the HOCON (a --config file over the embedded defaults) for everything
/// the command line does not touch, and the command line's overrides applied as typed values on
/// top, never pasted into HOCON text.
/// </summary>
/// <param name="Config">The config file over the embedded defaults.</param>
/// <param name="Settings">The relay's settings, with the command line applied.</param>
/// <param name="Remote">Where other nodes reach this one, with the command line applied.</param>
/// <param name="SeedNodes">Seed node addresses from --seeds; empty: those of the config (or none).</param>
/// <param name="LogLevel">What the node logs: DEBUG, INFO, WARNING or ERROR.</param>
/// <param name="Tls">TLS between nodes (relay.cluster.tls), already applied to <paramref name="Remote"/>; null: off.</param>
internal sealed record NodeConfiguration(
    Config Config, RelaySettings Settings, RemoteOptions Remote, string[] SeedNodes, string LogLevel, ClusterCertificates? Tls)
{
    /// <summary>The node's configuration from its command line; throws <see cref="ConfigurationException"/> for a bad file or value.</summary>
    public static NodeConfiguration From(HostOptions options)
    {
        var config = RelayNode.LoadConfig(options.ConfigFile?.FullName);
        var settings = RelaySettings.Create(config);
        settings = settings with
        {
            Host = options.Host ?? settings.Host,
            Port = options.Port ?? settings.Port,
            Udp = options.UdpPort is { } udpPort ? settings.Udp with { Port = udpPort } : settings.Udp,
            Dashboard = settings.Dashboard with
            {
                Port = options.DashboardPort is { } dashboardPort ? (dashboardPort == 0 ? null : dashboardPort) : settings.Dashboard.Port,
                Token = string.IsNullOrEmpty(options.DashboardToken) ? settings.Dashboard.Token : options.DashboardToken,
            },
        };
        settings = settings.Checked();

        var remote = new RemoteOptions
        {
            HostName = options.Host ?? config.GetString("akka.remote.dot-netty.tcp.hostname"),
            Port = options.ClusterPort ?? config.GetInt("akka.remote.dot-netty.tcp.port"),
            PublicHostName = options.PublicHost ?? NullIfEmpty(config.GetString("akka.remote.dot-netty.tcp.public-hostname")),
        };

        var tlsSettings = ClusterTlsSettings.Create(config);
        var tls = tlsSettings is null ? null : ClusterCertificates.Load(tlsSettings);
        tls?.Apply(remote);

        // Akka.Remote names its TLS transport akka.ssl.tcp, and an address of the other scheme
        // has no transport to reach it by.
        var scheme = tls is null ? "akka.tcp" : "akka.ssl.tcp";
        RefuseOtherSchemeSeeds(config, scheme);
        var seeds = options.Seeds.Select(seed => $"{scheme}://relay@{seed}").ToArray();
        return new NodeConfiguration(config, settings, remote, seeds, options.LogLevel ?? config.GetString("akka.loglevel").ToUpperInvariant(), tls);
    }

    private static void RefuseOtherSchemeSeeds(Config config, string scheme)
    {
        foreach (var seed in config.GetStringList("akka.cluster.seed-nodes"))
        {
            if (!seed.StartsWith(scheme + "://", StringComparison.Ordinal))
            {
                throw new ConfigurationException(
                    $"akka.cluster.seed-nodes: {seed} must start with {scheme}:// (relay.cluster.tls is {(scheme == "akka.tcp" ? "off" : "on")}).");
            }
        }
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
