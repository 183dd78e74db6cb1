using System.Text;

namespace Relay.Bench;

/// <summary>
/// NATS core pub/sub as its protocol document gives it: <c>CONNECT</c> (not verbose, so no
/// <c>+OK</c> per command), <c>SUB &lt;subject&gt; 1</c>, <c>PUB &lt;subject&gt; &lt;n&gt;</c> then
/// the payload; deliveries are a <c>MSG</c> line then the payload, read by <see cref="NatsReader"/>.
/// </summary>
/// <remarks>
/// The server's own <c>PING</c>s (every 2 minutes by default) are not answered: every run is
/// shorter than the two unanswered ones it takes for the server to close a client.
/// </remarks>
internal sealed class NatsWire : PeerWire
{
    public override byte[] Handshake(string? subscribeTo) => Encoding.ASCII.GetBytes(
        "CONNECT {\"verbose\":false,\"pedantic\":false}\r\n" + (subscribeTo is null ? "" : $"SUB {subscribeTo} 1\r\n") + "PING\r\n");

    public override byte[] Publish(string channel, ReadOnlySpan<byte> payload, out int payloadOffset)
    {
        var header = Encoding.ASCII.GetBytes($"PUB {channel} {payload.Length}\r\n");
        payloadOffset = header.Length;
        return [.. header, .. payload, (byte)'\r', (byte)'\n'];
    }

    public override ILineReader NewReader() => new NatsReader();
}
