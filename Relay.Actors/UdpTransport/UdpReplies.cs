using System.Buffers;
using Akka.IO;
using Relay.Protocol;
using Relay.Protocol.Json;

namespace Relay.Actors.UdpTransport;

/// <summary>
/// The replies the UDP transport sends itself, to an address that has no session (or whose session
/// is ending), as text and as JSON, rendered once.
/// </summary>
internal static class UdpReplies
{
    private static readonly (ByteString Text, ByteString Json) NoSessionForms = BothForms(ServerLines.NoSession);

    /// <summary><c>ERROR:NO_SESSION:send HELLO first</c>, in the protocol the datagram spoke.</summary>
    public static ByteString NoSession(bool json) => json ? NoSessionForms.Json : NoSessionForms.Text;

    /// <summary>A line as text and as its JSON object.</summary>
    public static (ByteString Text, ByteString Json) BothForms(Action<IBufferWriter<byte>> write)
    {
        var text = new ArrayBufferWriter<byte>();
        write(text);
        var json = new ArrayBufferWriter<byte>();
        JsonServerLines.ToJson(text.WrittenSpan[..^1], default, json);
        return (ByteString.FromBytes(text.WrittenSpan.ToArray()), ByteString.FromBytes(json.WrittenSpan.ToArray()));
    }
}
