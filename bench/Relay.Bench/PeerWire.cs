namespace Relay.Bench;

/// <summary>
/// How a client speaks to a pub/sub peer (Redis, NATS): what it sends on connecting, how it
/// publishes, and how it reads what arrives. Each client has a channel (subject) of its own, so a
/// message to a client is a publish to its channel, as RelayChat's <c>TO:</c> is to its id.
/// Commands are built once per template (strings are fine there); reading is per message and
/// allocates nothing.
/// </summary>
/// <remarks>
/// Payloads travel as lines: the readers cut at line ends, so a payload must hold no CR or LF
/// (the workloads' are digits and <c>x</c>). A payload that does shows up as an error, not as a
/// wrong message.
/// </remarks>
internal abstract class PeerWire
{
    // A peer cluster tells the other nodes of a subscription after it has answered the
    // subscriber's PING (NATS sends it along its routes): a publish on another node right after
    // the handshake can find no interest there yet and be dropped (seen in a probe here). Loopback
    // needs well under a millisecond; this leaves room for a loaded machine. Loss is counted, so
    // a wait that was too short shows up.
    private static readonly TimeSpan InterestSettle = TimeSpan.FromMilliseconds(500);

    /// <summary>The wire of <paramref name="server"/>, which must be a peer.</summary>
    public static PeerWire For(BenchServer server) => server switch
    {
        BenchServer.Redis => new RedisWire(),
        BenchServer.Nats => new NatsWire(),
        _ => throw new ArgumentException($"{server} is not a pub/sub peer"),
    };

    /// <summary>
    /// What a client sends right after connecting: whatever the protocol needs first, a
    /// subscription to <paramref name="subscribeTo"/> (none for a client that only publishes),
    /// then a <c>PING</c>. Its <c>PONG</c> (<see cref="ReceivedKind.Greeting"/>) comes after the
    /// server has done the rest, so once it arrives the client is ready.
    /// </summary>
    public abstract byte[] Handshake(string? subscribeTo);

    /// <summary>
    /// One publish of <paramref name="payload"/> to <paramref name="channel"/>, and where the
    /// payload starts in it, so that a workload can stamp each copy.
    /// </summary>
    public abstract byte[] Publish(string channel, ReadOnlySpan<byte> payload, out int payloadOffset);

    /// <summary>A reader for one connection's lines.</summary>
    public abstract ILineReader NewReader();

    /// <summary>Once every client's handshake is done: waits until subscriptions are known on every one of <paramref name="nodes"/>.</summary>
    public static Task SettleAsync(int nodes, CancellationToken cancellation) =>
        nodes > 1 ? Task.Delay(InterestSettle, cancellation) : Task.CompletedTask;
}
