using System.CommandLine;
using System.Net;

namespace Relay.Host;

/// <summary>
/// The node's command line, in one place. Every option overrides one HOCON setting, typed (see
/// <see cref="NodeConfiguration"/>), so the embedded defaults (hocon/relay.conf) stay the single
/// source of default values: an option left out changes nothing.
/// </summary>
internal sealed record HostOptions(
    string? Host, int? Port, FileInfo? ConfigFile, int? ClusterPort, string[] Seeds, string? PublicHost, string? LogLevel, int? UdpPort,
    int? DashboardPort, string? DashboardToken)
{
    private static readonly string[] LogLevels = ["debug", "info", "warning", "error"];

    private static readonly Option<string?> HostOption = new("--host")
    {
        Description = "Address to listen on for clients (default from relay.conf: 127.0.0.1). Anything but loopback exposes the relay.",
    };

    private static readonly Option<int?> PortOption = PortNumber("--port", "TCP port for clients (default from relay.conf: 9999; 0 picks a free one).");

    private static readonly Option<int?> UdpPortOption = PortNumber(
        "--udp-port", "UDP port for clients that send datagrams (default from relay.conf: off; 0 picks a free one).");

    private static readonly Option<int?> DashboardPortOption = PortNumber(
        "--dashboard-port", "HTTP port of the dashboard, browser chat (/ws), /metrics and health, on --host (default from relay.conf: 8080; 0 turns it off).");

    private static readonly Option<string?> DashboardTokenOption = new("--dashboard-token")
    {
        Description = "Token every HTTP and WebSocket request must carry (Authorization: Bearer <token>, or ?token=<token>); default none.",
    };

    private static readonly Option<FileInfo> ConfigOption = new("--config")
    {
        Description = "A HOCON file whose keys override the defaults (see hocon/relay.conf).",
    };

    private static readonly Option<int?> ClusterPortOption = PortNumber(
        "--cluster-port", "TCP port other nodes use to reach this one (default from relay.conf: 4053; 0 picks a free one).");

    private static readonly Option<string[]> SeedsOption = new("--seeds")
    {
        Description = "Seed nodes to join, host:port[,host:port...] (their cluster ports). Without seeds the node forms a cluster of its own.",
        AllowMultipleArgumentsPerToken = true,
        CustomParser = result => result.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray(),
    };

    private static readonly Option<string?> PublicHostOption = new("--public-host")
    {
        Description = "Host name or address other nodes use to reach this one, when it differs from --host (NAT, 0.0.0.0 binds).",
    };

    private static readonly Option<string?> LogLevelOption = new("--log-level")
    {
        Description = "What the node logs: debug, info, warning or error (default from relay.conf: warning).",
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            if (LogLevels.Contains(text, StringComparer.OrdinalIgnoreCase))
                return text.ToUpperInvariant();
            result.AddError($"--log-level must be one of {string.Join(", ", LogLevels)}, got '{text}'.");
            return null;
        },
    };

    /// <summary>The root command; <paramref name="run"/> gets the parsed options.</summary>
    public static RootCommand Command(Func<HostOptions, CancellationToken, Task<int>> run)
    {
        HostOption.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string?>();
            if (value is not null && !IPAddress.TryParse(value, out _))
                result.AddError($"--host must be an IP address, got '{value}'.");
        });
        ConfigOption.AcceptExistingOnly();
        SeedsOption.Validators.Add(result =>
        {
            foreach (var seed in result.GetValueOrDefault<string[]>() ?? [])
            {
                var colon = seed.LastIndexOf(':');
                if (colon <= 0 || !int.TryParse(seed[(colon + 1)..], out var port) || port is < 1 or > 65535)
                    result.AddError($"--seeds takes host:port pairs, got '{seed}'.");
            }
        });

        var command = new RootCommand("RelayChat node: relays TO:<id>:<message> lines between TCP clients.")
        {
            HostOption,
            PortOption,
            UdpPortOption,
            ConfigOption,
            ClusterPortOption,
            SeedsOption,
            PublicHostOption,
            LogLevelOption,
            DashboardPortOption,
            DashboardTokenOption,
        };
        command.SetAction((parse, token) => run(
            new HostOptions(
                parse.GetValue(HostOption),
                parse.GetValue(PortOption),
                parse.GetValue(ConfigOption),
                parse.GetValue(ClusterPortOption),
                parse.GetValue(SeedsOption) ?? [],
                parse.GetValue(PublicHostOption),
                parse.GetValue(LogLevelOption),
                parse.GetValue(UdpPortOption),
                parse.GetValue(DashboardPortOption),
                parse.GetValue(DashboardTokenOption)),
            token));
        return command;
    }

    /// <summary>
    /// A port option whose bad values get a plain message naming the option (System.CommandLine's
    /// own would name a .NET type).
    /// </summary>
    private static Option<int?> PortNumber(string name, string description) => new(name)
    {
        Description = description,
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) && port <= 65535)
                return port;
            result.AddError($"{name} must be a port number 0-65535, got '{text}'.");
            return null;
        },
    };
}
