using System.Globalization;
using Akka.Cluster.Sharding;
using Relay.Actors.Ids;

namespace Relay.Actors.Registry;

/// <summary>
/// One entity, and one shard, per id block: the shard id is the block number, computed from the
/// client id alone (no lookup, the same on every node, stable for the cluster's life).
/// </summary>
internal sealed class BlockMessageExtractor(IdBlocks blocks) : IMessageExtractor
{
    public string? EntityId(object message) => message switch
    {
        ITargetedEnvelope envelope => Key(blocks.BlockOf(envelope.TargetId)),
        RegisterClient register => Key(blocks.BlockOf(register.ClientId)),
        BlockBarrier barrier => Key(barrier.Block),
        RelayBatch batch => Key(batch.Block),
        _ => null,
    };

    public object? EntityMessage(object message) => message;

    [Obsolete("Use ShardId(EntityId, object) instead.")]
    public string? ShardId(object message) => EntityId(message);

    public string ShardId(string entityId, object? messageHint = null) => entityId;

    private static string Key(long block) => block.ToString(CultureInfo.InvariantCulture);
}
