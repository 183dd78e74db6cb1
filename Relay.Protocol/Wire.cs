namespace Relay.Protocol;

/// <summary>
/// Every literal of the wire protocol in one place, as UTF-8, so that the parser, the writers and
/// the docs cannot drift apart. See docs/protocol.md.
/// </summary>
public static class Wire
{
    /// <summary>Client → server: <c>TO:&lt;id&gt;:&lt;message&gt;</c>.</summary>
    public static ReadOnlySpan<byte> To => "TO:"u8;

    /// <summary>Client → server: liveness probe, answered with <see cref="Pong"/>.</summary>
    public static ReadOnlySpan<byte> Ping => "PING"u8;

    /// <summary>Client → server: close this connection cleanly.</summary>
    public static ReadOnlySpan<byte> Quit => "QUIT"u8;

    /// <summary>Server → client, first line: <c>YOUR_ID:&lt;id&gt;</c>.</summary>
    public static ReadOnlySpan<byte> YourId => "YOUR_ID:"u8;

    /// <summary>Server → client: <c>FROM:&lt;sender&gt;:&lt;message&gt;</c>.</summary>
    public static ReadOnlySpan<byte> From => "FROM:"u8;

    /// <summary>Server → client: <c>ERROR:&lt;CODE&gt;:&lt;text&gt;</c>.</summary>
    public static ReadOnlySpan<byte> Error => "ERROR:"u8;

    /// <summary>Server → client, last line: <c>RECONNECT:&lt;text&gt;</c>; this node is leaving, connect to another.</summary>
    public static ReadOnlySpan<byte> Reconnect => "RECONNECT:"u8;

    /// <summary>Server → client: the answer to <see cref="Ping"/>.</summary>
    public static ReadOnlySpan<byte> Pong => "PONG"u8;

    /// <summary>Field separator.</summary>
    public const byte Colon = (byte)':';

    /// <summary>Line terminator; a <see cref="CarriageReturn"/> before it is accepted and dropped.</summary>
    public const byte LineFeed = (byte)'\n';

    /// <summary>Optional part of a <c>\r\n</c> terminator.</summary>
    public const byte CarriageReturn = (byte)'\r';

    /// <summary>The code of an error as it appears on the wire.</summary>
    public static ReadOnlySpan<byte> CodeOf(ErrorCode code) => code switch
    {
        ErrorCode.UnknownCommand => "UNKNOWN_COMMAND"u8,
        ErrorCode.BadFormat => "BAD_FORMAT"u8,
        ErrorCode.BadEncoding => "BAD_ENCODING"u8,
        ErrorCode.UnknownTarget => "UNKNOWN_TARGET"u8,
        ErrorCode.TooLong => "TOO_LONG"u8,
        ErrorCode.ServerFull => "SERVER_FULL"u8,
        _ => throw new ArgumentOutOfRangeException(nameof(code), code, null),
    };

    /// <summary>Reads an error code from the wire; unknown codes (from a newer server) return false.</summary>
    public static bool TryParseCode(ReadOnlySpan<byte> text, out ErrorCode code)
    {
        foreach (var candidate in Enum.GetValues<ErrorCode>())
        {
            if (text.SequenceEqual(CodeOf(candidate)))
            {
                code = candidate;
                return true;
            }
        }

        code = default;
        return false;
    }
}
