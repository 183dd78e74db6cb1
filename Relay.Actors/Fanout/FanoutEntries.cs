using System.Buffers;
using System.Buffers.Binary;
using Relay.Protocol;

namespace Relay.Actors.Fanout;

/// <summary>
/// The entry format of <see cref="FanoutBatch.Entries"/>: one broadcast or room message each, as
/// (room length: 1 byte, 0 for a broadcast; room; payload length: 4 bytes LE; payload). Pure code.
/// </summary>
public static class FanoutEntries
{
    /// <summary>Appends a broadcast (<paramref name="room"/> empty) or a message to <paramref name="room"/>.</summary>
    public static void Write(IBufferWriter<byte> output, ReadOnlySpan<byte> room, ReadOnlySpan<byte> payload)
    {
        if (room.Length > Names.MaxLength)
            throw new ArgumentException("Room names are at most 64 bytes.", nameof(room));

        var size = 1 + room.Length + 4 + payload.Length;
        var span = output.GetSpan(size);
        span[0] = (byte)room.Length;
        room.CopyTo(span[1..]);
        BinaryPrimitives.WriteInt32LittleEndian(span[(1 + room.Length)..], payload.Length);
        payload.CopyTo(span[(5 + room.Length)..]);
        output.Advance(size);
    }

    /// <summary>Reads the entry at the start of <paramref name="entries"/>; false at the end or on a torn entry.</summary>
    public static bool TryRead(ref ReadOnlySpan<byte> entries, out ReadOnlySpan<byte> room, out ReadOnlySpan<byte> payload)
    {
        room = default;
        payload = default;
        if (entries.Length < 5 || entries.Length < 5 + entries[0])
            return false;

        var roomLength = entries[0];
        var length = BinaryPrimitives.ReadInt32LittleEndian(entries[(1 + roomLength)..]);
        if (length < 0 || entries.Length - 5 - roomLength < length)
            return false;

        room = entries.Slice(1, roomLength);
        payload = entries.Slice(5 + roomLength, length);
        entries = entries[(5 + roomLength + length)..];
        return true;
    }
}
