namespace Relay.Protocol.Json;

/// <summary>
/// Every literal of the JSON protocol in one place, as UTF-8: the <c>op</c> values and the field
/// names. Each JSON object is the same message as one text line (see docs/protocol.md).
/// </summary>
public static class JsonWire
{
    /// <summary>The first byte of a JSON line; a connection whose first non-blank byte it is speaks JSON.</summary>
    public const byte OpenBrace = (byte)'{';

    /// <summary>Every object's kind: <c>"op":"to"</c>.</summary>
    public static ReadOnlySpan<byte> Op => "op"u8;

    /// <summary>The recipient of <c>to</c>.</summary>
    public static ReadOnlySpan<byte> To => "to"u8;

    /// <summary>The message of <c>to</c>, <c>all</c>, <c>room</c>, <c>from</c>; the explanation of <c>error</c>.</summary>
    public static ReadOnlySpan<byte> Text => "text"u8;

    /// <summary>A room.</summary>
    public static ReadOnlySpan<byte> Room => "room"u8;

    /// <summary>The client's reference, echoed on the replies to the command that carried it.</summary>
    public static ReadOnlySpan<byte> Ref => "ref"u8;

    /// <summary>The page cursor of <c>who</c>, <c>members</c>, <c>rooms</c>.</summary>
    public static ReadOnlySpan<byte> After => "after"u8;

    /// <summary>The switch of <c>watch</c>.</summary>
    public static ReadOnlySpan<byte> On => "on"u8;

    /// <summary>The sender of a delivered message.</summary>
    public static ReadOnlySpan<byte> From => "from"u8;

    /// <summary>A client id (<c>hello</c>, <c>joined</c>, <c>left</c>).</summary>
    public static ReadOnlySpan<byte> Id => "id"u8;

    /// <summary>The command an <c>ok</c> answers.</summary>
    public static ReadOnlySpan<byte> Command => "command"u8;

    /// <summary>The argument of an <c>ok</c> that is neither a room nor a switch.</summary>
    public static ReadOnlySpan<byte> Arg => "arg"u8;

    /// <summary>The stable code of an <c>error</c>.</summary>
    public static ReadOnlySpan<byte> Code => "code"u8;

    /// <summary>Why a receipt failed (<c>NOT_DELIVERED</c> errors).</summary>
    public static ReadOnlySpan<byte> Cause => "cause"u8;

    /// <summary>The size of a whole list.</summary>
    public static ReadOnlySpan<byte> Total => "total"u8;

    /// <summary>One page of ids.</summary>
    public static ReadOnlySpan<byte> Ids => "ids"u8;

    /// <summary>One page of rooms.</summary>
    public static ReadOnlySpan<byte> Rooms => "rooms"u8;

    /// <summary>A room's member count.</summary>
    public static ReadOnlySpan<byte> Members => "members"u8;

    /// <summary>A next page exists.</summary>
    public static ReadOnlySpan<byte> More => "more"u8;

    /// <summary>Server → client, once the client's first <c>{</c> arrived: <c>{"op":"hello","id":7}</c>.</summary>
    public static ReadOnlySpan<byte> HelloOp => "hello"u8;

    /// <summary>Server → client: a one-to-one message.</summary>
    public static ReadOnlySpan<byte> FromOp => "from"u8;

    /// <summary>Client → server and server → client: a broadcast.</summary>
    public static ReadOnlySpan<byte> AllOp => "all"u8;

    /// <summary>Client → server: a one-to-one message (with <c>ref</c>: and a receipt).</summary>
    public static ReadOnlySpan<byte> ToOp => "to"u8;

    /// <summary>Client → server and server → client: a room message.</summary>
    public static ReadOnlySpan<byte> RoomOp => "room"u8;

    /// <summary>Client → server: join a room.</summary>
    public static ReadOnlySpan<byte> JoinOp => "join"u8;

    /// <summary>Client → server: leave a room.</summary>
    public static ReadOnlySpan<byte> LeaveOp => "leave"u8;

    /// <summary>Client → server and server → client: rooms and their member counts.</summary>
    public static ReadOnlySpan<byte> RoomsOp => "rooms"u8;

    /// <summary>Client → server and server → client: a room's members.</summary>
    public static ReadOnlySpan<byte> MembersOp => "members"u8;

    /// <summary>Client → server and server → client: who is online.</summary>
    public static ReadOnlySpan<byte> WhoOp => "who"u8;

    /// <summary>Client → server: be told of connects and leaves.</summary>
    public static ReadOnlySpan<byte> WatchOp => "watch"u8;

    /// <summary>Client → server: liveness probe.</summary>
    public static ReadOnlySpan<byte> PingOp => "ping"u8;

    /// <summary>Server → client: the answer to <c>ping</c>.</summary>
    public static ReadOnlySpan<byte> PongOp => "pong"u8;

    /// <summary>Client → server: close cleanly.</summary>
    public static ReadOnlySpan<byte> QuitOp => "quit"u8;

    /// <summary>Server → client: a command succeeded.</summary>
    public static ReadOnlySpan<byte> OkOp => "ok"u8;

    /// <summary>Server → client, to watchers: a client connected.</summary>
    public static ReadOnlySpan<byte> JoinedOp => "joined"u8;

    /// <summary>Server → client, to watchers: a client left.</summary>
    public static ReadOnlySpan<byte> LeftOp => "left"u8;

    /// <summary>Server → client: a receipt.</summary>
    public static ReadOnlySpan<byte> DeliveredOp => "delivered"u8;

    /// <summary>Server → client: a refusal or failure.</summary>
    public static ReadOnlySpan<byte> ErrorOp => "error"u8;

    /// <summary>Server → client, last: the node is leaving; connect to another.</summary>
    public static ReadOnlySpan<byte> ReconnectOp => "reconnect"u8;

    /// <summary>Server → client: a line this codec has no object for (a newer server); its text is the line.</summary>
    public static ReadOnlySpan<byte> LineOp => "line"u8;
}
