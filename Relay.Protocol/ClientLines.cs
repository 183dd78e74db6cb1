using System.Buffers;

namespace Relay.Protocol;

/// <summary>Writes the lines a client sends, each ending in <c>\n</c>.</summary>
public static class ClientLines
{
    /// <summary><c>TO:&lt;id&gt;:&lt;message&gt;</c>. The message must not contain a line feed.</summary>
    public static void To(IBufferWriter<byte> output, long targetId, ReadOnlySpan<byte> payload)
    {
        if (payload.Contains(Wire.LineFeed))
            throw new ArgumentException("A message cannot contain a line feed: it would end the line.", nameof(payload));

        output.Write(Wire.To);
        output.WriteNumber(targetId);
        output.WriteByte(Wire.Colon);
        output.Write(payload);
        output.WriteByte(Wire.LineFeed);
    }

    /// <summary><c>PING</c></summary>
    public static void Ping(IBufferWriter<byte> output)
    {
        output.Write(Wire.Ping);
        output.WriteByte(Wire.LineFeed);
    }

    /// <summary><c>QUIT</c></summary>
    public static void Quit(IBufferWriter<byte> output)
    {
        output.Write(Wire.Quit);
        output.WriteByte(Wire.LineFeed);
    }
}
