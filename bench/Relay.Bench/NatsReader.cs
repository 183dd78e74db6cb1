using System.Buffers.Text;

namespace Relay.Bench;

/// <summary>
/// Reads what a NATS connection receives, one line at a time: <c>MSG &lt;subject&gt; &lt;sid&gt;
/// [reply-to] &lt;n&gt;</c> is <see cref="ReceivedKind.Control"/> and the line after it, the payload
/// of n bytes, <see cref="ReceivedKind.From"/>; <c>PONG</c> ends a handshake
/// (<see cref="ReceivedKind.Greeting"/>); <c>-ERR</c> (a slow consumer, a bad command) and anything
/// unknown is <see cref="ReceivedKind.Other"/>; <c>INFO</c>, <c>PING</c> and <c>+OK</c> are
/// <see cref="ReceivedKind.Control"/>.
/// </summary>
internal sealed class NatsReader : ILineReader
{
    // The size of the payload the next line is; -1: the next line is an operation.
    private int _payloadBytes = -1;

    public ReceivedKind Read(ReadOnlySpan<byte> line, out ReadOnlySpan<byte> text)
    {
        text = line;
        if (_payloadBytes >= 0)
        {
            var expected = _payloadBytes;
            _payloadBytes = -1;
            // A payload holding a line end arrives cut: its length does not match.
            return line.Length == expected ? ReceivedKind.From : ReceivedKind.Other;
        }

        if (line.StartsWith("MSG "u8))
        {
            // The size is the last field, whether or not a reply subject comes before it.
            var last = line.LastIndexOf((byte)' ');
            if (!Utf8Parser.TryParse(line[(last + 1)..], out int size, out var consumed) || consumed != line.Length - last - 1 || size < 0)
                return ReceivedKind.Other;
            _payloadBytes = size;
            return ReceivedKind.Control;
        }

        if (line.SequenceEqual("PONG"u8))
            return ReceivedKind.Greeting;
        if (line.StartsWith("INFO "u8) || line.SequenceEqual("PING"u8) || line.SequenceEqual("+OK"u8))
            return ReceivedKind.Control;
        return ReceivedKind.Other;
    }
}
