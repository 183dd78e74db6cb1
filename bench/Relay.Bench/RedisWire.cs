using System.Buffers;
using System.Text;

namespace Relay.Bench;

/// <summary>
/// Redis pub/sub as a client library sends it: RESP arrays of bulk strings. The client says
/// <c>HELLO 3</c> first, because under RESP3 one connection may both be subscribed and publish
/// (under RESP2 a subscribed connection can only (un)subscribe), so each client needs one socket,
/// as it does with RelayChat and NATS. Deliveries arrive as RESP3 push frames
/// (<c>&gt;3 message &lt;channel&gt; &lt;payload&gt;</c>), read by <see cref="RespReader"/>.
/// </summary>
internal sealed class RedisWire : PeerWire
{
    public override byte[] Handshake(string? subscribeTo)
    {
        var output = new ArrayBufferWriter<byte>(128);
        Command(output, "HELLO"u8, "3"u8);
        if (subscribeTo is not null)
            Command(output, "SUBSCRIBE"u8, Encoding.ASCII.GetBytes(subscribeTo));
        Command(output, "PING"u8);
        return output.WrittenSpan.ToArray();
    }

    public override byte[] Publish(string channel, ReadOnlySpan<byte> payload, out int payloadOffset)
    {
        var output = new ArrayBufferWriter<byte>(payload.Length + channel.Length + 48);
        Command(output, "PUBLISH"u8, Encoding.ASCII.GetBytes(channel), payload);
        // The payload is the last argument: its bytes, then CRLF.
        payloadOffset = output.WrittenCount - 2 - payload.Length;
        return output.WrittenSpan.ToArray();
    }

    public override ILineReader NewReader() => new RespReader();

    private static void Command(ArrayBufferWriter<byte> output, ReadOnlySpan<byte> name)
    {
        Header(output, (byte)'*', 1);
        Bulk(output, name);
    }

    private static void Command(ArrayBufferWriter<byte> output, ReadOnlySpan<byte> name, ReadOnlySpan<byte> argument)
    {
        Header(output, (byte)'*', 2);
        Bulk(output, name);
        Bulk(output, argument);
    }

    private static void Command(ArrayBufferWriter<byte> output, ReadOnlySpan<byte> name, ReadOnlySpan<byte> first, ReadOnlySpan<byte> second)
    {
        Header(output, (byte)'*', 3);
        Bulk(output, name);
        Bulk(output, first);
        Bulk(output, second);
    }

    private static void Bulk(ArrayBufferWriter<byte> output, ReadOnlySpan<byte> value)
    {
        Header(output, (byte)'$', value.Length);
        output.Write(value);
        output.Write("\r\n"u8);
    }

    private static void Header(ArrayBufferWriter<byte> output, byte type, int count)
    {
        var span = output.GetSpan(16);
        span[0] = type;
        count.TryFormat(span[1..], out var digits);
        span[1 + digits] = (byte)'\r';
        span[2 + digits] = (byte)'\n';
        output.Advance(3 + digits);
    }
}
