namespace Relay.Protocol;

/// <summary>
/// Every literal of the wire protocol in one place, as UTF-8, so that the parser, the writers and
/// the docs cannot drift apart. See docs/protocol.md.
/// </summary>
public static class Wire
{
    /// <summary>Client → server: <c>TO:&lt;id&gt;:&lt;message&gt;</c>.</summary>
    public static ReadOnlySpan<byte> To => "TO:"u8;

    /// <summary>Client → server: <c>TOACK:&lt;ref&gt;:&lt;id&gt;:&lt;message&gt;</c>, answered with <see cref="Delivered"/>.</summary>
    public static ReadOnlySpan<byte> ToAck => "TOACK:"u8;

    /// <summary>Client → server <c>ALL:&lt;message&gt;</c>; server → client <c>ALL:&lt;sender&gt;:&lt;message&gt;</c>.</summary>
    public static ReadOnlySpan<byte> All => "ALL:"u8;

    /// <summary>Client → server: <c>JOIN:&lt;room&gt;</c>.</summary>
    public static ReadOnlySpan<byte> Join => "JOIN:"u8;

    /// <summary>Client → server: <c>LEAVE:&lt;room&gt;</c>.</summary>
    public static ReadOnlySpan<byte> Leave => "LEAVE:"u8;

    /// <summary>Client → server <c>ROOM:&lt;room&gt;:&lt;message&gt;</c>; server → client <c>ROOM:&lt;room&gt;:&lt;sender&gt;:&lt;message&gt;</c>.</summary>
    public static ReadOnlySpan<byte> Room => "ROOM:"u8;

    /// <summary>Client → server <c>ROOMS[:&lt;after&gt;]</c>; server → client <c>ROOMS:&lt;room&gt;=&lt;count&gt;,…[:MORE]</c>.</summary>
    public static ReadOnlySpan<byte> Rooms => "ROOMS"u8;

    /// <summary>Client → server <c>MEMBERS:&lt;room&gt;[:&lt;after&gt;]</c>; server → client <c>MEMBERS:&lt;room&gt;:&lt;total&gt;:&lt;ids&gt;[:MORE]</c>.</summary>
    public static ReadOnlySpan<byte> Members => "MEMBERS:"u8;

    /// <summary>Client → server <c>WHO[:&lt;after&gt;]</c>; server → client <c>WHO:&lt;total&gt;:&lt;ids&gt;[:MORE]</c>.</summary>
    public static ReadOnlySpan<byte> Who => "WHO"u8;

    /// <summary>Client → server: <c>WATCH:ON</c> or <c>WATCH:OFF</c>.</summary>
    public static ReadOnlySpan<byte> Watch => "WATCH:"u8;

    /// <summary>The argument of <see cref="Watch"/> that turns watching on.</summary>
    public static ReadOnlySpan<byte> On => "ON"u8;

    /// <summary>The argument of <see cref="Watch"/> that turns watching off.</summary>
    public static ReadOnlySpan<byte> Off => "OFF"u8;

    /// <summary>Client → server: liveness probe, answered with <see cref="Pong"/>.</summary>
    public static ReadOnlySpan<byte> Ping => "PING"u8;

    /// <summary>Client → server: close this connection cleanly.</summary>
    public static ReadOnlySpan<byte> Quit => "QUIT"u8;

    /// <summary>
    /// Client → server: asks for the greeting again (<c>YOUR_ID</c>, or the JSON hello); over UDP,
    /// the datagram that starts a session.
    /// </summary>
    public static ReadOnlySpan<byte> Hello => "HELLO"u8;

    /// <summary>Server → client, first line: <c>YOUR_ID:&lt;id&gt;</c>.</summary>
    public static ReadOnlySpan<byte> YourId => "YOUR_ID:"u8;

    /// <summary>Server → client: <c>FROM:&lt;sender&gt;:&lt;message&gt;</c>.</summary>
    public static ReadOnlySpan<byte> From => "FROM:"u8;

    /// <summary>Server → client: <c>OK:&lt;COMMAND&gt;:&lt;argument&gt;</c>, e.g. <c>OK:JOIN:lobby</c>.</summary>
    public static ReadOnlySpan<byte> Ok => "OK:"u8;

    /// <summary>Server → client, to watchers: <c>JOINED:&lt;id&gt;</c>, a client connected.</summary>
    public static ReadOnlySpan<byte> Joined => "JOINED:"u8;

    /// <summary>Server → client, to watchers: <c>LEFT:&lt;id&gt;</c>, a client left.</summary>
    public static ReadOnlySpan<byte> Left => "LEFT:"u8;

    /// <summary>Server → client: <c>DELIVERED:&lt;ref&gt;</c>, the receipt of a <see cref="ToAck"/>.</summary>
    public static ReadOnlySpan<byte> Delivered => "DELIVERED:"u8;

    /// <summary>Ends a list reply that has a next page.</summary>
    public static ReadOnlySpan<byte> More => "MORE"u8;

    /// <summary>Server → client: <c>ERROR:&lt;CODE&gt;:&lt;text&gt;</c>.</summary>
    public static ReadOnlySpan<byte> Error => "ERROR:"u8;

    /// <summary>Server → client, last line: <c>RECONNECT:&lt;text&gt;</c>; this node is leaving, connect to another.</summary>
    public static ReadOnlySpan<byte> Reconnect => "RECONNECT:"u8;

    /// <summary>Server → client: the answer to <see cref="Ping"/>.</summary>
    public static ReadOnlySpan<byte> Pong => "PONG"u8;

    /// <summary>Field separator.</summary>
    public const byte Colon = (byte)':';

    /// <summary>Separates the items of a list reply.</summary>
    public const byte Comma = (byte)',';

    /// <summary>Separates a room from its member count in a <c>ROOMS</c> reply.</summary>
    public const byte EqualsSign = (byte)'=';

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
        ErrorCode.BadName => "BAD_NAME"u8,
        ErrorCode.NotMember => "NOT_MEMBER"u8,
        ErrorCode.TooManyRooms => "TOO_MANY_ROOMS"u8,
        ErrorCode.NotDelivered => "NOT_DELIVERED"u8,
        ErrorCode.BadJson => "BAD_JSON"u8,
        ErrorCode.NoSession => "NO_SESSION"u8,
        ErrorCode.IdleTimeout => "IDLE_TIMEOUT"u8,
        ErrorCode.AuthRequired => "AUTH_REQUIRED"u8,
        ErrorCode.AuthFailed => "AUTH_FAILED"u8,
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
