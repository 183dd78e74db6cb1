using System.Buffers;
using System.Buffers.Binary;

namespace Relay.Actors.Registry;

/// <summary>The entry format of <see cref="RelayBatch.Entries"/>: pure code, no actors.</summary>
public static class BatchEntries
{
    private const int HeaderBytes = 12;

    /// <summary>Appends one (target, payload) entry.</summary>
    public static void Write(IBufferWriter<byte> output, long targetId, ReadOnlySpan<byte> payload)
    {
        var span = output.GetSpan(HeaderBytes + payload.Length);
        BinaryPrimitives.WriteInt64LittleEndian(span, targetId);
        BinaryPrimitives.WriteInt32LittleEndian(span[8..], payload.Length);
        payload.CopyTo(span[HeaderBytes..]);
        output.Advance(HeaderBytes + payload.Length);
    }

    /// <summary>Reads the entry at the start of <paramref name="entries"/>; false at the end or on a torn entry.</summary>
    public static bool TryRead(ref ReadOnlySpan<byte> entries, out long targetId, out ReadOnlySpan<byte> payload)
    {
        targetId = 0;
        payload = default;
        if (entries.Length < HeaderBytes)
            return false;

        targetId = BinaryPrimitives.ReadInt64LittleEndian(entries);
        var length = BinaryPrimitives.ReadInt32LittleEndian(entries[8..]);
        if (length < 0 || entries.Length - HeaderBytes < length)
            return false;

        payload = entries.Slice(HeaderBytes, length);
        entries = entries[(HeaderBytes + length)..];
        return true;
    }
}
