using System.Buffers;

namespace Relay.Protocol;

/// <summary>The few primitives every line writer needs, on <see cref="IBufferWriter{T}"/>.</summary>
internal static class LineOutput
{
    // Longest decimal long plus sign; ids never come near it.
    internal const int MaxNumberBytes = 20;

    internal static void Write(this IBufferWriter<byte> output, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(output.GetSpan(bytes.Length));
        output.Advance(bytes.Length);
    }

    internal static void WriteByte(this IBufferWriter<byte> output, byte value)
    {
        output.GetSpan(1)[0] = value;
        output.Advance(1);
    }

    /// <summary>Decimal digits of a non-negative number.</summary>
    internal static int DigitCount(long value)
    {
        var digits = 1;
        while (value >= 10)
        {
            value /= 10;
            digits++;
        }

        return digits;
    }

    internal static void WriteNumber(this IBufferWriter<byte> output, long value)
    {
        value.TryFormat(output.GetSpan(MaxNumberBytes), out var written);
        output.Advance(written);
    }
}
