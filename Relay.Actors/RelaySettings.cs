using Akka.Configuration;
using Relay.Actors.Session;

namespace Relay.Actors;

/// <summary>The <c>relay</c> section of the node's HOCON, read once at start.</summary>
/// <param name="Host">Address the client listener binds.</param>
/// <param name="Port">Client TCP port; 0 lets the OS choose.</param>
/// <param name="Backlog">Accept backlog of the client listener.</param>
/// <param name="MaxConnections">Most clients connected at once; null: the open-file limit minus <paramref name="ReservedFileDescriptors"/>.</param>
/// <param name="ReservedFileDescriptors">File descriptors kept for everything but clients when <paramref name="MaxConnections"/> is automatic.</param>
/// <param name="Connection">Per-connection limits and timeouts.</param>
/// <param name="Cluster">Id leasing and cluster behaviour.</param>
/// <param name="Udp">The UDP relay.</param>
/// <param name="MaxConnectionsPerAddress">Most clients connected at once from one remote address; null: no limit.</param>
/// <param name="WebSocket">Clients over WebSocket.</param>
/// <param name="Dashboard">The node's HTTP server: dashboard, metrics, health.</param>
public sealed record RelaySettings(
    string Host, int Port, int Backlog, int? MaxConnections, int ReservedFileDescriptors,
    ConnectionSettings Connection, ClusterSettings Cluster, UdpSettings Udp, int? MaxConnectionsPerAddress, WebSocketSettings WebSocket,
    DashboardSettings Dashboard)
{
    /// <summary>Reads the settings from a config that has <c>hocon/relay.conf</c> as its fallback.</summary>
    public static RelaySettings Create(Config config)
    {
        var endpoint = config.GetConfig("relay.client-endpoint")
            ?? throw new ConfigurationException("Missing relay.client-endpoint section; is hocon/relay.conf the fallback?");
        var maxConnections = endpoint.GetString("max-connections");
        int? max = null;
        if (maxConnections != "auto")
        {
            if (!int.TryParse(maxConnections, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) || number < 1)
                throw new ConfigurationException($"relay.client-endpoint.max-connections must be \"auto\" or a positive number, not \"{maxConnections}\".");
            max = number;
        }

        var host = endpoint.GetString("host");
        // The listeners bind an address; a name would fail there, late and unclearly.
        if (!System.Net.IPAddress.TryParse(host, out _))
            throw new ConfigurationException($"relay.client-endpoint.host must be an IP address to listen on (e.g. 127.0.0.1, or 0.0.0.0 for every interface), not \"{host}\".");

        var connection = ConnectionSettings.Create(config);
        var udp = UdpSettings.Create(config);
        return new RelaySettings(
            host,
            endpoint.GetInt("port"),
            endpoint.GetInt("backlog"),
            max,
            endpoint.GetInt("reserved-file-descriptors"),
            connection,
            ClusterSettings.Create(config),
            udp,
            PerAddressLimit(endpoint.GetString("max-connections-per-address")),
            WebSocketSettings.Create(config),
            DashboardSettings.Create(config)).Checked();
    }

    /// <summary>These settings, after the checks that span sections; call again after changing them (command-line overrides).</summary>
    public RelaySettings Checked()
    {
        if (Connection.ReconnectGrace >= Cluster.LeaveTimeout)
        {
            throw new ConfigurationException(
                $"relay.connection.reconnect-grace ({Connection.ReconnectGrace}) must be shorter than relay.cluster.leave-timeout ({Cluster.LeaveTimeout}), which is how long a leaving node waits for its clients.");
        }

        if (Connection.Auth.Required && Udp.Port is not null)
        {
            throw new ConfigurationException(
                "relay.auth has tokens and UDP is on (relay.udp.port, --udp-port): a UDP session cannot be authenticated, since its source address can be forged. Turn one off.");
        }

        return this;
    }

    private static int? PerAddressLimit(string text)
    {
        if (text == "off")
            return null;
        if (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) || number < 1)
            throw new ConfigurationException($"relay.client-endpoint.max-connections-per-address must be \"off\" or a positive number, not \"{text}\".");
        return number;
    }
}

/// <summary>The <c>relay.udp</c> section: the UDP relay.</summary>
/// <param name="Port">The UDP port; null: UDP is off; 0 lets the OS choose.</param>
/// <param name="MaxDatagramBytes">Largest datagram a client may send.</param>
/// <param name="ReplyDatagramBytes">Lines to a client are packed into datagrams of at most this size.</param>
/// <param name="IdleTimeout">A client silent this long is dropped.</param>
/// <param name="MaxClients">Most UDP sessions at once.</param>
/// <param name="MaxQueuedDatagrams">Datagrams from one client received and not yet handled; beyond it they are dropped.</param>
/// <param name="ReceiveBufferBytes">The UDP socket's receive buffer (SO_RCVBUF).</param>
public sealed record UdpSettings(
    int? Port, int MaxDatagramBytes, int ReplyDatagramBytes, TimeSpan IdleTimeout, int MaxClients, int MaxQueuedDatagrams, int ReceiveBufferBytes)
{
    // What one datagram can hold over IPv4.
    private const int LargestDatagram = 65_507;

    /// <summary>Reads <c>relay.udp</c>.</summary>
    public static UdpSettings Create(Config config)
    {
        var section = config.GetConfig("relay.udp")
            ?? throw new ConfigurationException("Missing relay.udp section; is hocon/relay.conf the fallback?");
        var portText = section.GetString("port");
        int? port = null;
        if (portText != "off")
        {
            if (!int.TryParse(portText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) || number > 65535)
                throw new ConfigurationException($"relay.udp.port must be \"off\" or a port from 0 to 65535, not \"{portText}\".");
            port = number;
        }

        // A datagram holds one line: the line limit applies too, whichever is smaller.
        var maxLine = ConnectionSettings.Create(config).MaxLineBytes;
        var settings = new UdpSettings(
            port,
            (int)Math.Min(section.GetByteSize("max-datagram-bytes")!.Value, maxLine),
            checked((int)section.GetByteSize("reply-datagram-bytes")!.Value),
            section.GetTimeSpan("idle-timeout"),
            section.GetInt("max-clients"),
            section.GetInt("max-queued-datagrams"),
            checked((int)section.GetByteSize("receive-buffer-bytes")!.Value));
        if (settings.MaxDatagramBytes < 1 || settings.MaxDatagramBytes > LargestDatagram)
            throw new ConfigurationException($"relay.udp.max-datagram-bytes ({settings.MaxDatagramBytes}) must be between 1 and {LargestDatagram}, what a datagram can hold.");
        if (settings.ReplyDatagramBytes < 512 || settings.ReplyDatagramBytes > LargestDatagram)
            throw new ConfigurationException($"relay.udp.reply-datagram-bytes ({settings.ReplyDatagramBytes}) must be between 512 and {LargestDatagram}.");
        if (settings.MaxClients < 1 || settings.MaxQueuedDatagrams < 1 || settings.IdleTimeout <= TimeSpan.Zero || settings.ReceiveBufferBytes < 1)
            throw new ConfigurationException("relay.udp: max-clients, max-queued-datagrams, idle-timeout and receive-buffer-bytes must be positive.");
        return settings;
    }
}

/// <summary>The <c>relay.connection</c> section: what one client connection may cost the node.</summary>
/// <param name="MaxLineBytes">Longest accepted line, terminator excluded.</param>
/// <param name="PartialLineTimeout">Quiet time after which an unterminated line counts as complete.</param>
/// <param name="MaxOutboundBytes">Bytes queued for a client before it is disconnected as a slow consumer.</param>
/// <param name="PauseReadingAboveBytes">While more than this is queued for a client, nothing more is read from it.</param>
/// <param name="RegisterTimeout">How long a new connection may wait for its id and location record.</param>
/// <param name="BarrierTimeout">How long PING (or a close) waits for the echo of a registry entity.</param>
/// <param name="RemoteWindowLines">Lines sent to other nodes between two flow-control barriers.</param>
/// <param name="FanoutWindowMessages">Broadcast and room messages sent between two flow-control barriers.</param>
/// <param name="MaxRooms">Rooms one client may be in at once.</param>
/// <param name="ListPageSize">Most items in one <c>WHO</c>, <c>MEMBERS</c> or <c>ROOMS</c> reply.</param>
/// <param name="ReceiptTimeout">How long a <c>TOACK:</c> waits for its receipt before <c>NOT_DELIVERED:…:TIMEOUT</c>.</param>
/// <param name="MaxPendingReceipts">Receipts one client may await at once; reading pauses at the limit.</param>
/// <param name="LinesPerSecond">Lines one client may send per second (0: no limit); beyond it reading pauses.</param>
/// <param name="BytesPerSecond">Bytes one client may send per second (0: no limit); beyond it reading pauses.</param>
/// <param name="RateBurst">How much of each rate a quiet client may send at once.</param>
/// <param name="IdleTimeout">A TCP connection that sends no command within this long of connecting is closed; null: never.</param>
public sealed record ConnectionSettings(
    int MaxLineBytes, TimeSpan PartialLineTimeout, int MaxOutboundBytes, int PauseReadingAboveBytes,
    TimeSpan RegisterTimeout, TimeSpan BarrierTimeout, int RemoteWindowLines,
    int FanoutWindowMessages, int MaxRooms, int ListPageSize, TimeSpan ReceiptTimeout, int MaxPendingReceipts,
    int LinesPerSecond, long BytesPerSecond, TimeSpan RateBurst, TimeSpan? IdleTimeout)
{
    /// <summary>The tokens clients must present first (relay.auth); <see cref="ClientAuthentication.None"/> when off.</summary>
    public ClientAuthentication Auth { get; init; } = ClientAuthentication.None;

    /// <summary>
    /// How long after RECONNECT a client's lines are still read and answered, for it to send QUIT
    /// (or end its input) and get every answer it is owed; zero: nothing is read after RECONNECT.
    /// </summary>
    public TimeSpan ReconnectGrace { get; init; }

    /// <summary>Reads <c>relay.connection</c>.</summary>
    public static ConnectionSettings Create(Config config)
    {
        var section = config.GetConfig("relay.connection")
            ?? throw new ConfigurationException("Missing relay.connection section; is hocon/relay.conf the fallback?");
        var settings = new ConnectionSettings(
            checked((int)section.GetByteSize("max-line-bytes")!.Value),
            section.GetTimeSpan("partial-line-timeout"),
            checked((int)section.GetByteSize("max-outbound-bytes")!.Value),
            PauseReadingAbove(section),
            section.GetTimeSpan("register-timeout"),
            section.GetTimeSpan("barrier-timeout"),
            section.GetInt("remote-window-lines"),
            section.GetInt("fanout-window-messages"),
            section.GetInt("max-rooms"),
            section.GetInt("list-page-size"),
            section.GetTimeSpan("receipt-timeout"),
            section.GetInt("max-pending-receipts"),
            section.GetInt("rate-limit.lines-per-second"),
            section.GetByteSize("rate-limit.bytes-per-second") ?? 0,
            section.GetTimeSpan("rate-limit.burst"),
            IdleTimeoutOf(section))
        {
            Auth = ClientAuthentication.Create(config),
            ReconnectGrace = section.GetTimeSpan("reconnect-grace"),
        };

        RequirePositive(settings.RemoteWindowLines, "remote-window-lines");
        RequirePositive(settings.FanoutWindowMessages, "fanout-window-messages");
        RequirePositive(settings.MaxRooms, "max-rooms");
        RequirePositive(settings.ListPageSize, "list-page-size");
        RequirePositive(settings.MaxPendingReceipts, "max-pending-receipts");
        if (settings.LinesPerSecond < 0 || settings.BytesPerSecond < 0 || settings.RateBurst <= TimeSpan.Zero)
            throw new ConfigurationException("relay.connection.rate-limit: lines-per-second and bytes-per-second must be 0 (no limit) or more, and burst positive.");
        if (settings.MaxLineBytes < 1 || settings.MaxOutboundBytes < settings.MaxLineBytes)
            throw new ConfigurationException(
                $"relay.connection: max-line-bytes ({settings.MaxLineBytes}) must be positive and at most max-outbound-bytes ({settings.MaxOutboundBytes}).");

        // One list reply (ids up to 19 digits and a comma, or a room of 64 characters with its count)
        // must fit in what is left above the pause threshold, or a WHO alone could disconnect a client.
        var largestListReply = (long)settings.ListPageSize * (Protocol.Names.MaxLength + 22) + 128;
        if (settings.PauseReadingAboveBytes + largestListReply > settings.MaxOutboundBytes)
            throw new ConfigurationException(
                $"relay.connection.list-page-size ({settings.ListPageSize}) is too large for max-outbound-bytes ({settings.MaxOutboundBytes}): " +
                $"one reply may take {largestListReply} bytes above the pause threshold ({settings.PauseReadingAboveBytes}).");

        return settings;
    }

    private static TimeSpan? IdleTimeoutOf(Config section)
    {
        if (section.GetString("idle-timeout") == "off")
            return null;
        var timeout = section.GetTimeSpan("idle-timeout");
        if (timeout <= TimeSpan.Zero)
            throw new ConfigurationException($"relay.connection.idle-timeout must be \"off\" or a positive duration (e.g. 10m), not \"{section.GetString("idle-timeout")}\".");
        return timeout;
    }

    private static void RequirePositive(int value, string key)
    {
        if (value < 1)
            throw new ConfigurationException($"relay.connection.{key} ({value}) must be at least 1.");
    }

    private static int PauseReadingAbove(Config section)
    {
        var share = section.GetDouble("pause-reading-above");
        if (share is <= 0 or >= 1)
            throw new ConfigurationException(
                $"relay.connection.pause-reading-above ({share}) must be a share of max-outbound-bytes between 0 and 1, e.g. 0.25.");
        return (int)(share * section.GetByteSize("max-outbound-bytes")!.Value);
    }
}

/// <summary>The <c>relay.cluster</c> section: how ids are leased and how a node leaves.</summary>
/// <param name="IdBlockSize">Ids per leased block; fixed for the cluster's life.</param>
/// <param name="IdLowWater">Lease the next block when fewer ids than this remain.</param>
/// <param name="MajorityTimeout">Timeout of majority reads and writes of the lease table.</param>
/// <param name="LeaveTimeout">How long a leaving node waits for its clients to take the reconnect line.</param>
/// <param name="EmptyRegistryIdle">How long an empty registry entity lives before it stops.</param>
/// <param name="IdReleaseInterval">How often a node gives back the used-up id blocks whose clients have all left.</param>
public sealed record ClusterSettings(
    int IdBlockSize, int IdLowWater, TimeSpan MajorityTimeout, TimeSpan LeaveTimeout, TimeSpan EmptyRegistryIdle, TimeSpan IdReleaseInterval)
{
    /// <summary>Reads <c>relay.cluster</c>.</summary>
    public static ClusterSettings Create(Config config)
    {
        var section = config.GetConfig("relay.cluster")
            ?? throw new ConfigurationException("Missing relay.cluster section; is hocon/relay.conf the fallback?");
        var settings = new ClusterSettings(
            section.GetInt("id-block-size"),
            section.GetInt("id-low-water"),
            section.GetTimeSpan("majority-timeout"),
            section.GetTimeSpan("leave-timeout"),
            section.GetTimeSpan("empty-registry-idle"),
            section.GetTimeSpan("id-release-interval"));
        if (settings.IdReleaseInterval <= TimeSpan.Zero)
            throw new ConfigurationException($"relay.cluster.id-release-interval ({settings.IdReleaseInterval}) must be positive.");
        if (settings.IdBlockSize < 1 || settings.IdLowWater < 0 || settings.IdLowWater > settings.IdBlockSize)
            throw new ConfigurationException(
                $"relay.cluster: id-block-size ({settings.IdBlockSize}) must be positive and id-low-water ({settings.IdLowWater}) between 0 and it.");
        return settings;
    }
}

/// <summary>The <c>relay.websocket</c> section: browser clients (the dashboard's chat) over WebSocket.</summary>
/// <param name="MaxClients">Most WebSocket clients at once; beyond it a new one is closed with a reason.</param>
public sealed record WebSocketSettings(int MaxClients)
{
    /// <summary>Reads <c>relay.websocket</c>.</summary>
    public static WebSocketSettings Create(Config config)
    {
        var section = config.GetConfig("relay.websocket")
            ?? throw new ConfigurationException("Missing relay.websocket section; is hocon/relay.conf the fallback?");
        var settings = new WebSocketSettings(section.GetInt("max-clients"));
        if (settings.MaxClients < 1)
            throw new ConfigurationException($"relay.websocket.max-clients ({settings.MaxClients}) must be at least 1.");
        return settings;
    }
}

/// <summary>The <c>relay.dashboard</c> section: the node's HTTP server (dashboard, /ws, /metrics, health).</summary>
/// <param name="Port">The HTTP port, on the client endpoint's host; null: no HTTP server.</param>
/// <param name="Token">Required on every request when set; null: none.</param>
/// <param name="ReportInterval">How often each node reports its summary to the others.</param>
/// <param name="DetailsTimeout">How long a client list waits for another node's details.</param>
/// <param name="AllowedHosts">Host names requests may name besides addresses and localhost.</param>
/// <param name="MaxEventStreams">Most event streams (open dashboard pages) at once.</param>
/// <param name="MaxConnections">Most HTTP connections at once (WebSockets included).</param>
public sealed record DashboardSettings(
    int? Port, string? Token, TimeSpan ReportInterval, TimeSpan DetailsTimeout, IReadOnlyList<string> AllowedHosts, int MaxEventStreams, int MaxConnections)
{
    /// <summary>Reads <c>relay.dashboard</c>.</summary>
    public static DashboardSettings Create(Config config)
    {
        var section = config.GetConfig("relay.dashboard")
            ?? throw new ConfigurationException("Missing relay.dashboard section; is hocon/relay.conf the fallback?");
        var port = section.GetInt("port");
        if (port is < 0 or > 65535)
            throw new ConfigurationException($"relay.dashboard.port must be a port from 1 to 65535, or 0 for no HTTP server, not {port}.");
        var token = section.GetString("token");
        var settings = new DashboardSettings(
            port == 0 ? null : port,
            string.IsNullOrEmpty(token) ? null : token,
            section.GetTimeSpan("report-interval"),
            section.GetTimeSpan("details-timeout"),
            [.. section.GetStringList("allowed-hosts")],
            section.GetInt("max-event-streams"),
            section.GetInt("max-connections"));
        if (settings.ReportInterval <= TimeSpan.Zero || settings.DetailsTimeout <= TimeSpan.Zero || settings.MaxEventStreams < 1 || settings.MaxConnections < 1)
            throw new ConfigurationException("relay.dashboard: report-interval, details-timeout, max-event-streams and max-connections must be positive.");
        return settings;
    }
}
