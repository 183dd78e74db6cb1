namespace Relay.Bench;

/// <summary>
/// Which server <c>--nodes</c> are: RelayChat, or a pub/sub server a user would otherwise pick,
/// loaded by the same workloads so that their figures compare.
/// </summary>
internal enum BenchServer : byte
{
    /// <summary>RelayChat nodes: clients get an id and send <c>TO:</c> lines.</summary>
    Relay,

    /// <summary>Redis pub/sub over RESP3: each client subscribes to a channel of its own and publishes to its partner's.</summary>
    Redis,

    /// <summary>NATS core pub/sub: each client subscribes to a subject of its own and publishes to its partner's.</summary>
    Nats,
}
