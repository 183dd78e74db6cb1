using System.CommandLine;
using System.Net;

namespace Relay.Host;

/// <summary>
/// The node's command line, in one place. Every option maps onto a HOCON key, so the embedded
/// defaults (hocon/relay.conf) stay the single source of default values: an option left out
/// changes nothing.
/// </summary>
internal sealed record HostOptions(string? Host, int? Port, FileInfo? ConfigFile)
{
    private static readonly Option<string?> HostOption = new("--host")
    {
        Description = "Address to listen on for clients (default from relay.conf: 127.0.0.1). Anything but loopback exposes the relay.",
    };

    private static readonly Option<int?> PortOption = new("--port")
    {
        Description = "TCP port for clients (default from relay.conf: 9999; 0 picks a free one).",
    };

    private static readonly Option<FileInfo> ConfigOption = new("--config")
    {
        Description = "A HOCON file whose keys override the defaults (see hocon/relay.conf).",
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
        PortOption.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<int?>();
            if (value is < 0 or > 65535)
                result.AddError($"--port must be 0-65535, got {value}.");
        });
        ConfigOption.AcceptExistingOnly();

        var command = new RootCommand("RelayChat node: relays TO:<id>:<message> lines between TCP clients.")
        {
            HostOption,
            PortOption,
            ConfigOption,
        };
        command.SetAction((parse, token) => run(
            new HostOptions(parse.GetValue(HostOption), parse.GetValue(PortOption), parse.GetValue(ConfigOption)),
            token));
        return command;
    }

    /// <summary>The options as HOCON that overrides the config file and the defaults.</summary>
    public string ToHocon()
    {
        var lines = new List<string>();
        if (Host is not null)
            lines.Add($"relay.client-endpoint.host = \"{Host}\"");
        if (Port is not null)
            lines.Add($"relay.client-endpoint.port = {Port}");
        return string.Join('\n', lines);
    }
}
