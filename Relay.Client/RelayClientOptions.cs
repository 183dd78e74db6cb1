namespace Relay.Client;

/// <summary>How a <see cref="RelayClient"/> connects and what it may buffer.</summary>
public sealed record RelayClientOptions
{
    /// <summary>The defaults.</summary>
    public static readonly RelayClientOptions Default = new();

    /// <summary>How long to wait for the TCP connect and the server's <c>YOUR_ID</c> line.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest server line accepted; the server's own limit plus the <c>FROM:&lt;id&gt;:</c> prefix fits.</summary>
    public int MaxLineBytes { get; init; } = 1024 * 1024;

    /// <summary>
    /// Events buffered for a reader that is not keeping up. When full, the client stops reading the
    /// socket, so a slow reader slows the server's writes instead of growing this process.
    /// </summary>
    public int EventBufferCapacity { get; init; } = 4096;
}
