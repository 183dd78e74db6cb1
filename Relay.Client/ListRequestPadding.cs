using System.Buffers;

namespace Relay.Client;

/// <summary>
/// Over UDP the node answers a datagram with at most three times its size on the wire, so that a
/// forged source address cannot make it an amplifier (<c>Datagrams.ReplyBudget</c>): a 4-byte
/// <c>WHO</c> would get a page of one id. As a QUIC client pads its first packet, this client pads its
/// list requests so that the page can fill a whole reply datagram (<c>relay.udp.reply-datagram-bytes</c>,
/// 1200 bytes): JSON with whitespace after the object, text with spaces at the end of the line (the
/// parser trims them after a page cursor, a room or a bare <c>ROOMS</c>).
/// </summary>
internal static class ListRequestPadding
{
    // 3 × (400 + 28) − 28 = 1256 bytes of reply: one full datagram.
    public const int PaddedBytes = 400;

    /// <summary>
    /// <paramref name="command"/> (ending in <c>\n</c>) with spaces before its terminator up to
    /// <see cref="PaddedBytes"/>, written into <paramref name="output"/>.
    /// </summary>
    public static ReadOnlyMemory<byte> Pad(ReadOnlyMemory<byte> command, ArrayBufferWriter<byte> output)
    {
        if (command.Length >= PaddedBytes)
            return command;
        output.ResetWrittenCount();
        output.Write(command.Span[..^1]);
        var spaces = PaddedBytes - command.Length;
        output.GetSpan(spaces)[..spaces].Fill((byte)' ');
        output.Advance(spaces);
        output.Write(command.Span[^1..]);
        return output.WrittenMemory;
    }
}
