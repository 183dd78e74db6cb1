using Akka.Configuration;

namespace Relay.Actors;

/// <summary>The <c>relay</c> section of the node's HOCON, read once at start.</summary>
/// <param name="Host">Address the client listener binds.</param>
/// <param name="Port">Client TCP port; 0 lets the OS choose.</param>
/// <param name="Backlog">Accept backlog of the client listener.</param>
/// <param name="ConcurrentAccepts">Accepts outstanding at once.</param>
/// <param name="Connection">Per-connection limits and timeouts.</param>
public sealed record RelaySettings(string Host, int Port, int Backlog, int ConcurrentAccepts, ConnectionSettings Connection)
{
    /// <summary>Reads the settings from a config that has <c>hocon/relay.conf</c> as its fallback.</summary>
    public static RelaySettings Create(Config config)
    {
        var endpoint = config.GetConfig("relay.client-endpoint")
            ?? throw new ConfigurationException("Missing relay.client-endpoint section; is hocon/relay.conf the fallback?");
        return new RelaySettings(
            endpoint.GetString("host"),
            endpoint.GetInt("port"),
            endpoint.GetInt("backlog"),
            endpoint.GetInt("concurrent-accepts"),
            ConnectionSettings.Create(config));
    }
}

/// <summary>The <c>relay.connection</c> section: what one client connection may cost the node.</summary>
/// <param name="MaxLineBytes">Longest accepted line, terminator excluded.</param>
/// <param name="PartialLineTimeout">Quiet time after which an unterminated line counts as complete.</param>
/// <param name="MaxOutboundBytes">Bytes queued for a client before it is disconnected as a slow consumer.</param>
public sealed record ConnectionSettings(int MaxLineBytes, TimeSpan PartialLineTimeout, int MaxOutboundBytes)
{
    /// <summary>Reads <c>relay.connection</c>.</summary>
    public static ConnectionSettings Create(Config config)
    {
        var section = config.GetConfig("relay.connection")
            ?? throw new ConfigurationException("Missing relay.connection section; is hocon/relay.conf the fallback?");
        var settings = new ConnectionSettings(
            checked((int)section.GetByteSize("max-line-bytes")!.Value),
            section.GetTimeSpan("partial-line-timeout"),
            checked((int)section.GetByteSize("max-outbound-bytes")!.Value));

        if (settings.MaxLineBytes < 1 || settings.MaxOutboundBytes < settings.MaxLineBytes)
            throw new ConfigurationException(
                $"relay.connection: max-line-bytes ({settings.MaxLineBytes}) must be positive and at most max-outbound-bytes ({settings.MaxOutboundBytes}).");
        return settings;
    }
}
