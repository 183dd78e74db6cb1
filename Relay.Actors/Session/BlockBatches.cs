using System.Buffers;
using Akka.Actor;
using Relay.Actors.Registry;

namespace Relay.Actors.Session;

/// <summary>
/// Collects, per target id block, the lines one received chunk relays to clients of other nodes,
/// and sends each block's registry entity one <see cref="RelayBatch"/> at the end of the chunk.
/// </summary>
/// <remarks>Owned by one connection actor; writers are kept and reused from chunk to chunk.</remarks>
internal sealed class BlockBatches
{
    private readonly List<(long Block, ArrayBufferWriter<byte> Entries)> _pending = new();
    private readonly Stack<ArrayBufferWriter<byte>> _spare = new();

    /// <summary>The buffer to append entries for <paramref name="block"/> to.</summary>
    public IBufferWriter<byte> For(long block)
    {
        foreach (var (pendingBlock, entries) in _pending)
        {
            if (pendingBlock == block)
                return entries;
        }

        var writer = _spare.Count > 0 ? _spare.Pop() : new ArrayBufferWriter<byte>(4096);
        _pending.Add((block, writer));
        return writer;
    }

    /// <summary>Sends every pending batch through <paramref name="registry"/>, answers to come to <paramref name="sender"/>; returns how many.</summary>
    public int Deliver(IActorRef registry, long senderId, IActorRef sender)
    {
        var batches = _pending.Count;
        foreach (var (block, entries) in _pending)
        {
            registry.Tell(new RelayBatch(block, senderId, entries.WrittenSpan.ToArray()), sender);
            entries.ResetWrittenCount();
            _spare.Push(entries);
        }

        _pending.Clear();
        return batches;
    }
}
