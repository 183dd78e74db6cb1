using System.Buffers;
using Relay.Actors.Registry;

namespace Relay.Actors.Tests.Registry;

public sealed class BatchEntriesTests
{
    [Fact]
    public void Reads_back_every_entry_in_the_order_written()
    {
        var output = new ArrayBufferWriter<byte>();
        BatchEntries.Write(output, 101, "first"u8);
        BatchEntries.Write(output, 150, ""u8);
        BatchEntries.Write(output, 101, "안녕: third"u8);

        ReadOnlySpan<byte> entries = output.WrittenSpan;
        var read = new List<(long, string)>();
        while (BatchEntries.TryRead(ref entries, out var target, out var payload))
            read.Add((target, System.Text.Encoding.UTF8.GetString(payload)));

        Assert.Equal([(101L, "first"), (150L, ""), (101L, "안녕: third")], read);
        Assert.True(entries.IsEmpty);
    }

    [Fact]
    public void Stops_at_a_torn_entry_instead_of_reading_past_the_end()
    {
        var output = new ArrayBufferWriter<byte>();
        BatchEntries.Write(output, 7, "complete"u8);
        BatchEntries.Write(output, 8, "cut short"u8);

        ReadOnlySpan<byte> entries = output.WrittenSpan[..^3];
        Assert.True(BatchEntries.TryRead(ref entries, out var first, out _));
        Assert.Equal(7, first);
        Assert.False(BatchEntries.TryRead(ref entries, out _, out _));
    }
}
