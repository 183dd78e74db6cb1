using System.Buffers;

namespace Relay.Protocol;

/// <summary>Writes the lines a server sends, each ending in <c>\n</c>.</summary>
public static class ServerLines
{
    /// <summary><c>YOUR_ID:&lt;id&gt;</c></summary>
    public static void YourId(IBufferWriter<byte> output, long id)
    {
        output.Write(Wire.YourId);
        output.WriteNumber(id);
        output.WriteByte(Wire.LineFeed);
    }

    /// <summary><c>FROM:&lt;sender&gt;:&lt;message&gt;</c></summary>
    public static void From(IBufferWriter<byte> output, long senderId, ReadOnlySpan<byte> payload)
    {
        var span = output.GetSpan(Wire.From.Length + LineOutput.MaxNumberBytes + payload.Length + 2);
        Wire.From.CopyTo(span);
        var length = Wire.From.Length;
        senderId.TryFormat(span[length..], out var digits);
        length += digits;
        span[length++] = Wire.Colon;
        payload.CopyTo(span[length..]);
        length += payload.Length;
        span[length++] = Wire.LineFeed;
        output.Advance(length);
    }

    /// <summary>The length of the <c>FROM:</c> line <see cref="From"/> writes, terminator included.</summary>
    public static int FromLength(long senderId, int payloadLength) =>
        Wire.From.Length + LineOutput.DigitCount(senderId) + 1 + payloadLength + 1;

    /// <summary><c>PONG</c></summary>
    public static void Pong(IBufferWriter<byte> output)
    {
        output.Write(Wire.Pong);
        output.WriteByte(Wire.LineFeed);
    }

    /// <summary><c>RECONNECT:node leaving the cluster; connect to another node</c></summary>
    public static void Reconnect(IBufferWriter<byte> output)
    {
        output.Write(Wire.Reconnect);
        output.Write("node leaving the cluster; connect to another node"u8);
        output.WriteByte(Wire.LineFeed);
    }

    /// <summary><c>ERROR:UNKNOWN_TARGET:no client &lt;id&gt;</c></summary>
    public static void UnknownTarget(IBufferWriter<byte> output, long targetId)
    {
        StartError(output, ErrorCode.UnknownTarget);
        output.Write("no client "u8);
        output.WriteNumber(targetId);
        output.WriteByte(Wire.LineFeed);
    }

    /// <summary><c>ERROR:TOO_LONG:line longer than &lt;limit&gt; bytes discarded</c></summary>
    public static void TooLong(IBufferWriter<byte> output, int maxLineBytes)
    {
        StartError(output, ErrorCode.TooLong);
        output.Write("line longer than "u8);
        output.WriteNumber(maxLineBytes);
        output.Write(" bytes discarded"u8);
        output.WriteByte(Wire.LineFeed);
    }

    /// <summary><c>ERROR:SERVER_FULL:node is at its limit of &lt;max&gt; clients; try another node or later</c></summary>
    public static void ServerFull(IBufferWriter<byte> output, int maxConnections)
    {
        StartError(output, ErrorCode.ServerFull);
        output.Write("node is at its limit of "u8);
        output.WriteNumber(maxConnections);
        output.Write(" clients; try another node or later"u8);
        output.WriteByte(Wire.LineFeed);
    }

    /// <summary><c>ERROR:&lt;CODE&gt;:&lt;text&gt;</c> for the errors whose text needs no detail.</summary>
    public static void Error(IBufferWriter<byte> output, ErrorCode code)
    {
        StartError(output, code);
        output.Write(code switch
        {
            ErrorCode.UnknownCommand => "expected TO:<id>:<message>, PING or QUIT"u8,
            ErrorCode.BadFormat => "expected TO:<id>:<message> with a positive numeric id"u8,
            ErrorCode.BadEncoding => "message is not valid UTF-8"u8,
            _ => throw new ArgumentOutOfRangeException(nameof(code), code, "this error needs a detail: use its own writer"),
        });
        output.WriteByte(Wire.LineFeed);
    }

    private static void StartError(IBufferWriter<byte> output, ErrorCode code)
    {
        output.Write(Wire.Error);
        output.Write(Wire.CodeOf(code));
        output.WriteByte(Wire.Colon);
    }
}
