using System.Net;

namespace Relay.Bench;

/// <summary>
/// What differs between the servers the one-to-one workloads (throughput, latency, conns) load:
/// how a client connects and becomes reachable, how it sends to another client, and how it reads
/// what arrives. Everything else — pairs, windows, pacing, stamps, counting — is the workloads'
/// own and the same for every server, so their figures compare.
/// </summary>
internal abstract class ClientWire
{
    /// <summary>The wire for <see cref="BenchOptions.Server"/>.</summary>
    public static ClientWire For(BenchOptions options) => options.Server switch
    {
        BenchServer.Relay => new RelayClientWire(options),
        _ when options.Json || options.Udp => throw new ArgumentException("--json and --udp are RelayChat's protocols; a peer is spoken to in its own"),
        _ => new PeerClientWire(options),
    };

    /// <summary>
    /// Client number <paramref name="index"/> (0-based, unique in the run), connected to
    /// <paramref name="node"/> and ready to receive; its <see cref="BenchConnection.Id"/> is what
    /// the others send to.
    /// </summary>
    public abstract Task<BenchConnection> ConnectAsync(EndPoint node, int index, CancellationToken cancellation);

    /// <summary>Once every client is connected, before the first message: waits until each is reachable from every node.</summary>
    public virtual Task ReadyAsync(CancellationToken cancellation) => Task.CompletedTask;

    /// <summary>
    /// The bytes that send <paramref name="payload"/> to the client with id
    /// <paramref name="targetId"/>, and where the payload starts in them, so that a workload can
    /// stamp each copy. The payload must need no escapes (digits and letters).
    /// </summary>
    public abstract byte[] MessageTemplate(long targetId, ReadOnlySpan<byte> payload, out int payloadOffset);

    /// <summary>A reader for one connection's lines.</summary>
    public abstract ILineReader NewReader();
}
