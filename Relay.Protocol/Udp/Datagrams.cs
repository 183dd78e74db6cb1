using System.Buffers;
using Relay.Protocol.Json;

namespace Relay.Protocol.Udp;

/// <summary>What a datagram from a client holds.</summary>
public enum DatagramKind : byte
{
    /// <summary>Nothing but a line ending, or nothing at all: ignored, as blank lines are.</summary>
    Blank,

    /// <summary>One command line.</summary>
    Line,

    /// <summary>More than one line: refused, one command per datagram.</summary>
    SeveralLines,

    /// <summary>
    /// A server's reply (<c>ERROR:…</c> or a JSON error): never answered, so that two nodes (or a
    /// node and itself) made to talk to each other by a forged source address cannot loop.
    /// </summary>
    Reply,
}

/// <summary>
/// UDP framing: one command per datagram from a client; lines to a client packed into datagrams
/// of a safe size, never split. Pure code, no sockets.
/// </summary>
public static class Datagrams
{
    /// <summary>IPv4 and UDP headers: what a datagram costs on the wire besides its payload.</summary>
    public const int HeaderBytes = 28;

    /// <summary>How much more the node may send in answer to a datagram than the datagram itself, on the wire.</summary>
    public const int ReplyFactor = 3;

    /// <summary>Reads a client's datagram: the one line it holds (a trailing <c>\n</c> or <c>\r\n</c> removed).</summary>
    public static DatagramKind Read(ReadOnlySpan<byte> datagram, out ReadOnlySpan<byte> line)
    {
        line = datagram;
        if (!line.IsEmpty && line[^1] == Wire.LineFeed)
            line = line[..^1];
        if (!line.IsEmpty && line[^1] == Wire.CarriageReturn)
            line = line[..^1];

        if (line.IndexOfAnyExcept(" \t"u8) < 0)
            return DatagramKind.Blank;
        if (line.Contains(Wire.LineFeed))
            return DatagramKind.SeveralLines;
        if (line.StartsWith(Wire.Error) || (line[0] == JsonWire.OpenBrace && line.IndexOf("\"op\":\"error\""u8) >= 0))
            return DatagramKind.Reply;
        return DatagramKind.Line;
    }

    /// <summary>True for the datagram that opens a session: <c>HELLO</c> (any case) or <c>{"op":"hello"}</c>.</summary>
    public static bool IsHello(ReadOnlySpan<byte> line, out bool json)
    {
        json = !line.IsEmpty && line[0] == JsonWire.OpenBrace;
        if (!json)
            return System.Text.Ascii.EqualsIgnoreCase(line.Trim((byte)' '), Wire.Hello);

        var text = new ArrayBufferWriter<byte>(16);
        return JsonCommands.ToText(line, text, out _) && text.WrittenSpan.SequenceEqual(Wire.Hello);
    }

    /// <summary>
    /// The most bytes the node sends in answer to a datagram of <paramref name="datagramBytes"/>:
    /// <see cref="ReplyFactor"/> times its size on the wire, less the reply's own headers, so that a
    /// forged source address cannot turn the node into an amplifier.
    /// </summary>
    public static int ReplyBudget(int datagramBytes) => ReplyFactor * (datagramBytes + HeaderBytes) - HeaderBytes;

    /// <summary>
    /// The length of the next datagram to send from <paramref name="lines"/> (whole lines, each
    /// ending in <c>\n</c>): as many whole lines as fit in <paramref name="maxBytes"/>, or the first
    /// line alone when it is longer. Lines are never split across datagrams.
    /// </summary>
    public static int NextDatagramLength(ReadOnlySpan<byte> lines, int maxBytes)
    {
        var length = 0;
        while (length < lines.Length)
        {
            var end = lines[length..].IndexOf(Wire.LineFeed);
            var next = end < 0 ? lines.Length : length + end + 1;
            if (next > maxBytes && length > 0)
                break;
            length = next;
            if (length >= maxBytes)
                break;
        }

        return length;
    }
}
