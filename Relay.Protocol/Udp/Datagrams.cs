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

    /// <summary>
    /// A broadcast or room message whose text starts with <c>&lt;digits&gt;:</c>: the very line a node
    /// sends (<c>ALL:&lt;sender&gt;:&lt;text&gt;</c>) read back as a command. Refused over UDP, or a node
    /// whose session belongs to a forged address (another node's, an echo service's) would broadcast
    /// its own broadcasts back for ever.
    /// </summary>
    ServerLine,
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
        if (line.StartsWith(Wire.Error) || (line[0] == JsonWire.OpenBrace && IsJsonError(line)))
            return DatagramKind.Reply;
        if (LooksLikeRelayedMessage(line))
            return DatagramKind.ServerLine;
        return DatagramKind.Line;
    }

    /// <summary><c>ALL:&lt;digits&gt;:…</c> or <c>ROOM:&lt;room&gt;:&lt;digits&gt;:…</c> (any case): how a node writes a relayed message.</summary>
    public static bool LooksLikeRelayedMessage(ReadOnlySpan<byte> line)
    {
        ReadOnlySpan<byte> text;
        if (StartsWithIgnoreCase(line, Wire.All))
        {
            text = line[Wire.All.Length..];
        }
        else if (StartsWithIgnoreCase(line, Wire.Room))
        {
            var rest = line[Wire.Room.Length..];
            var colon = rest.IndexOf(Wire.Colon);
            if (colon < 0)
                return false;
            text = rest[(colon + 1)..];
        }
        else
        {
            return false;
        }

        var digits = text.IndexOfAnyExceptInRange((byte)'0', (byte)'9');
        return digits > 0 && text[digits] == Wire.Colon;
    }

    /// <summary>An object whose <c>op</c> is <c>"error"</c>, however it is spaced.</summary>
    private static bool IsJsonError(ReadOnlySpan<byte> line)
    {
        var reader = new System.Text.Json.Utf8JsonReader(line);
        try
        {
            if (!reader.Read() || reader.TokenType != System.Text.Json.JsonTokenType.StartObject)
                return false;
            while (reader.Read() && reader.TokenType == System.Text.Json.JsonTokenType.PropertyName)
            {
                var isOp = reader.ValueTextEquals(JsonWire.Op);
                if (!reader.Read())
                    return false;
                if (isOp)
                    return reader.TokenType == System.Text.Json.JsonTokenType.String && reader.ValueTextEquals(JsonWire.ErrorOp);
                reader.Skip();
            }
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException)
        {
        }

        return false;
    }

    private static bool StartsWithIgnoreCase(ReadOnlySpan<byte> line, ReadOnlySpan<byte> keyword) =>
        line.Length >= keyword.Length && System.Text.Ascii.EqualsIgnoreCase(line[..keyword.Length], keyword);

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
