namespace Relay.Client;

/// <summary>How a <see cref="RelayClient"/> connects and what it may buffer.</summary>
public sealed record RelayClientOptions
{
    /// <summary>The defaults: text over TCP.</summary>
    public static readonly RelayClientOptions Default = new();

    /// <summary>Text lines (the default) or JSON objects.</summary>
    public RelayProtocol Protocol { get; init; } = RelayProtocol.Text;

    /// <summary>TCP (the default) or UDP; the port given to <see cref="RelayClient.ConnectAsync"/> is the node's port for it.</summary>
    public RelayTransport Transport { get; init; } = RelayTransport.Tcp;

    /// <summary>
    /// The token to present first (<c>AUTH:&lt;token&gt;</c>) to a node that requires one
    /// (relay.auth); null: none. TCP only: a node with tokens has no UDP.
    /// </summary>
    public string? Token { get; init; }

    /// <summary>
    /// Over TCP, how long to wait for the connect and the server's <c>YOUR_ID</c> line (and, in JSON, its
    /// JSON hello). Over UDP the wait is <see cref="HelloAttempts"/> × <see cref="HelloRetryInterval"/>.
    /// </summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest server line accepted; the server's own limit plus the <c>FROM:&lt;id&gt;:</c> prefix fits.</summary>
    public int MaxLineBytes { get; init; } = 1024 * 1024;

    /// <summary>
    /// Events buffered for a reader that is not keeping up. When full, the client stops reading the
    /// socket, so a slow reader slows the server's writes instead of growing this process.
    /// </summary>
    public int EventBufferCapacity { get; init; } = 4096;

    /// <summary>
    /// Over UDP, how many <c>HELLO</c> datagrams to send, <see cref="HelloRetryInterval"/> apart, before
    /// giving up: a datagram (or its answer) may be lost.
    /// </summary>
    public int HelloAttempts { get; init; } = 5;

    /// <summary>Over UDP, how long to wait for the answer to one <c>HELLO</c> before sending the next.</summary>
    public TimeSpan HelloRetryInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Over UDP, a <c>PING</c> goes out when nothing has been sent for this long (its <c>PONG</c> is not
    /// shown as an event): the node drops a client silent for its <c>relay.udp.idle-timeout</c> (60 s),
    /// and a third of that leaves room for two lost pings. <see cref="Timeout.InfiniteTimeSpan"/>: never.
    /// </summary>
    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Over TCP, a <c>PING</c> goes out when nothing has been sent for this long (its <c>PONG</c> is not
    /// shown as an event): a node closes a connection that sends no command within its
    /// <c>relay.connection.idle-timeout</c> (10 min) of connecting, so a client that only listens needs
    /// the first; the later ones keep NAT and firewall state alive on a quiet connection.
    /// <see cref="Timeout.InfiniteTimeSpan"/>: never.
    /// </summary>
    public TimeSpan TcpKeepAliveInterval { get; init; } = TimeSpan.FromMinutes(5);
}
