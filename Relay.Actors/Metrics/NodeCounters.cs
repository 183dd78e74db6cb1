using Relay.Actors.Session;
using Relay.Protocol;

namespace Relay.Actors.Metrics;

/// <summary>
/// What a node has done since it started, counted where it happens and read by the metrics
/// exporter and the dashboard. Sessions add their counts once per event they handle (not once per
/// line), so the counters cost the hot path a few interlocked adds per read, whatever its size.
/// </summary>
public sealed class NodeCounters
{
    private static readonly int ErrorCodes = Enum.GetValues<ErrorCode>().Length;
    private static readonly int Transports = Enum.GetValues<ClientTransport>().Length;

    private readonly long[] _errors = new long[ErrorCodes];
    private readonly long[] _connected = new long[Transports];
    private readonly long[] _accepted = new long[Transports];
    private long _oneToOne;
    private long _broadcast;
    private long _room;
    private long _delivered;
    private long _bytesIn;
    private long _bytesOut;
    private long _slowConsumers;
    private long _crossNodeBatches;
    private long _registryShards;

    /// <summary>One-to-one messages (<c>TO:</c>, <c>TOACK:</c>) clients of this node sent.</summary>
    public long OneToOne => Volatile.Read(ref _oneToOne);

    /// <summary>Broadcasts (<c>ALL:</c>) clients of this node sent.</summary>
    public long Broadcasts => Volatile.Read(ref _broadcast);

    /// <summary>Room messages (<c>ROOM:</c>) clients of this node sent.</summary>
    public long RoomMessages => Volatile.Read(ref _room);

    /// <summary>Messages sent by clients of this node, of every kind.</summary>
    public long MessagesIn => OneToOne + Broadcasts + RoomMessages;

    /// <summary>Messages delivered to clients of this node (FROM, ALL and ROOM lines).</summary>
    public long MessagesOut => Volatile.Read(ref _delivered);

    /// <summary>Bytes read from clients.</summary>
    public long BytesIn => Volatile.Read(ref _bytesIn);

    /// <summary>Bytes written to clients.</summary>
    public long BytesOut => Volatile.Read(ref _bytesOut);

    /// <summary>Clients disconnected because they did not read what was sent to them.</summary>
    public long SlowConsumerDisconnects => Volatile.Read(ref _slowConsumers);

    /// <summary>Batches of one-to-one lines sent to registry entities on other nodes.</summary>
    public long CrossNodeBatches => Volatile.Read(ref _crossNodeBatches);

    /// <summary>Error lines sent to clients with <paramref name="code"/>.</summary>
    public long Errors(ErrorCode code) => Volatile.Read(ref _errors[(int)code]);

    /// <summary>Clients connected now over <paramref name="transport"/> (with an id).</summary>
    public long Connected(ClientTransport transport) => Volatile.Read(ref _connected[(int)transport]);

    /// <summary>Clients that got an id over <paramref name="transport"/> since the node started.</summary>
    public long Accepted(ClientTransport transport) => Volatile.Read(ref _accepted[(int)transport]);

    internal void AddSent(int oneToOne, int broadcasts, int rooms)
    {
        if (oneToOne != 0)
            Interlocked.Add(ref _oneToOne, oneToOne);
        if (broadcasts != 0)
            Interlocked.Add(ref _broadcast, broadcasts);
        if (rooms != 0)
            Interlocked.Add(ref _room, rooms);
    }

    internal void AddDelivered(int messages) => Interlocked.Add(ref _delivered, messages);

    internal void AddBytesIn(long bytes) => Interlocked.Add(ref _bytesIn, bytes);

    internal void AddBytesOut(long bytes) => Interlocked.Add(ref _bytesOut, bytes);

    internal void CountSlowConsumer() => Interlocked.Increment(ref _slowConsumers);

    /// <summary>Shards of the client registry this node hosts, as last counted (once per overview report).</summary>
    public long RegistryShards => Volatile.Read(ref _registryShards);

    internal void SetRegistryShards(long shards) => Volatile.Write(ref _registryShards, shards);

    internal void CountCrossNodeBatches(int batches) => Interlocked.Add(ref _crossNodeBatches, batches);

    internal void CountError(ErrorCode code) => Interlocked.Increment(ref _errors[(int)code]);

    internal void CountConnected(ClientTransport transport)
    {
        Interlocked.Increment(ref _connected[(int)transport]);
        Interlocked.Increment(ref _accepted[(int)transport]);
    }

    internal void CountDisconnected(ClientTransport transport) => Interlocked.Decrement(ref _connected[(int)transport]);
}
