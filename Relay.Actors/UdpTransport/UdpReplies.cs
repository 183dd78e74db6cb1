using System.Buffers;
using Akka.IO;
using Relay.Protocol;
using Relay.Protocol.Json;
using Relay.Protocol.Udp;

namespace Relay.Actors.UdpTransport;

/// <summary>
/// A reply the UDP transport sends itself (to an address with no session, or whose session is
/// ending), rendered once in each protocol, whole and cut to its code, so that it is never more
/// than <see cref="Datagrams.ReplyBudget"/> allows for the datagram it answers.
/// </summary>
internal sealed class UdpReplies
{
    private readonly ByteString _text;
    private readonly ByteString _textCode;
    private readonly ByteString _json;
    private readonly ByteString _jsonCode;

    /// <summary>Renders the error line <paramref name="write"/> writes.</summary>
    public UdpReplies(Action<IBufferWriter<byte>> write)
    {
        var line = new ArrayBufferWriter<byte>();
        write(line);
        var text = line.WrittenSpan[..^1];
        var code = text[..(text[Wire.Error.Length..].IndexOf(Wire.Colon) + Wire.Error.Length + 1)];
        (_text, _json) = Render(text);
        (_textCode, _jsonCode) = Render(code);
    }

    /// <summary><c>ERROR:NO_SESSION:send HELLO first</c>.</summary>
    public static UdpReplies NoSession { get; } = new(ServerLines.NoSession);

    /// <summary>
    /// The reply to a datagram of <paramref name="datagramBytes"/> in the protocol it spoke: whole if
    /// it fits the budget, else its code alone, else nothing.
    /// </summary>
    public ByteString? To(int datagramBytes, bool json)
    {
        var budget = Datagrams.ReplyBudget(datagramBytes);
        var (whole, code) = json ? (_json, _jsonCode) : (_text, _textCode);
        return whole.Count <= budget ? whole : code.Count <= budget ? code : null;
    }

    private static (ByteString Text, ByteString Json) Render(ReadOnlySpan<byte> line)
    {
        var json = new ArrayBufferWriter<byte>();
        JsonServerLines.ToJson(line, default, json);
        return (ByteString.FromBytes([.. line, Wire.LineFeed]), ByteString.FromBytes(json.WrittenSpan.ToArray()));
    }
}
