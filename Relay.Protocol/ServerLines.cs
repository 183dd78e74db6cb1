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

    /// <summary><c>ERROR:BAD_FORMAT:one command per datagram</c>: a UDP datagram held several lines.</summary>
    public static void OneCommandPerDatagram(IBufferWriter<byte> output)
    {
        Error(output, ErrorCode.BadFormat, "one command per datagram"u8);
    }

    /// <summary>
    /// <c>ERROR:BAD_FORMAT:over UDP a message cannot start with &lt;digits&gt;:…</c>: it would read like
    /// the node's own line (see <see cref="Udp.DatagramKind.ServerLine"/>).
    /// </summary>
    public static void RelayedLookalike(IBufferWriter<byte> output)
    {
        Error(output, ErrorCode.BadFormat, "a UDP message cannot start with <digits>:"u8);
    }

    /// <summary>
    /// <c>ERROR:TOO_LONG:…</c>: not even one item of a list page fits in what a datagram may be
    /// answered with; a longer (padded) request is answered with more.
    /// </summary>
    public static void PageTooLarge(IBufferWriter<byte> output)
    {
        Error(output, ErrorCode.TooLong, "a page would be over 3x this datagram; pad the request with spaces"u8);
    }

    /// <summary><c>ERROR:NO_SESSION:send HELLO first</c>: a UDP datagram from an address with no session.</summary>
    public static void NoSession(IBufferWriter<byte> output)
    {
        Error(output, ErrorCode.NoSession, "send HELLO first"u8);
    }

    /// <summary><c>ERROR:IDLE_TIMEOUT:no command within &lt;seconds&gt; s of connecting; closing the connection</c></summary>
    public static void IdleTimeout(IBufferWriter<byte> output, TimeSpan timeout)
    {
        StartError(output, ErrorCode.IdleTimeout);
        output.Write("no command within "u8);
        output.WriteNumber((long)Math.Ceiling(timeout.TotalSeconds));
        output.Write(" s of connecting; closing the connection"u8);
        output.WriteByte(Wire.LineFeed);
    }

    /// <summary><c>ERROR:AUTH_REQUIRED:…</c>: the node requires a token first.</summary>
    public static void AuthRequired(IBufferWriter<byte> output)
    {
        Error(output, ErrorCode.AuthRequired, "this node requires AUTH:<token> as the first line"u8);
    }

    /// <summary><c>ERROR:AUTH_FAILED:…</c>: the token is not accepted.</summary>
    public static void AuthFailed(IBufferWriter<byte> output)
    {
        Error(output, ErrorCode.AuthFailed, "token not accepted"u8);
    }

    /// <summary><c>ERROR:SERVER_FULL:at most &lt;max&gt; clients from one address; …</c></summary>
    public static void AddressFull(IBufferWriter<byte> output, int maxPerAddress)
    {
        StartError(output, ErrorCode.ServerFull);
        output.Write("at most "u8);
        output.WriteNumber(maxPerAddress);
        output.Write(" clients may connect from one address; close one first"u8);
        output.WriteByte(Wire.LineFeed);
    }

    /// <summary>The error for a line the parser refused: its code and what the command expects.</summary>
    public static void Invalid(IBufferWriter<byte> output, ErrorCode code, CommandKind refused)
    {
        StartError(output, code);
        output.Write(code switch
        {
            ErrorCode.UnknownCommand => "expected TO, TOACK, ALL, JOIN, LEAVE, ROOM, ROOMS, MEMBERS, WHO, WATCH, PING or QUIT (see docs/protocol.md)"u8,
            ErrorCode.BadEncoding => "message is not valid UTF-8"u8,
            ErrorCode.BadName => "room names and refs are 1-64 characters of A-Z a-z 0-9 _ . -"u8,
            ErrorCode.BadFormat => UsageOf(refused),
            _ => throw new ArgumentOutOfRangeException(nameof(code), code, "this error needs a detail: use its own writer"),
        });
        output.WriteByte(Wire.LineFeed);
    }

    /// <summary>What a command looks like, for <c>BAD_FORMAT</c> errors.</summary>
    public static ReadOnlySpan<byte> UsageOf(CommandKind command) => command switch
    {
        CommandKind.To => "expected TO:<id>:<message> with a positive numeric id"u8,
        CommandKind.ToAck => "expected TOACK:<ref>:<id>:<message> with a positive numeric id"u8,
        CommandKind.Room => "expected ROOM:<room>:<message>"u8,
        CommandKind.All => "expected ALL:<message>"u8,
        CommandKind.Join => "expected JOIN:<room>"u8,
        CommandKind.Leave => "expected LEAVE:<room>"u8,
        CommandKind.Members => "expected MEMBERS:<room> or MEMBERS:<room>:<last id of the previous page>"u8,
        CommandKind.Who => "expected WHO or WHO:<last id of the previous page>"u8,
        CommandKind.Watch => "expected WATCH:ON or WATCH:OFF"u8,
        _ => "malformed command (see docs/protocol.md)"u8,
    };

    /// <summary><c>ALL:&lt;sender&gt;:&lt;message&gt;</c></summary>
    public static void Broadcast(IBufferWriter<byte> output, long senderId, ReadOnlySpan<byte> payload)
    {
        output.Write(Wire.All);
        output.WriteNumber(senderId);
        output.WriteByte(Wire.Colon);
        output.Write(payload);
        output.WriteByte(Wire.LineFeed);
    }

    /// <summary><c>ROOM:&lt;room&gt;:&lt;sender&gt;:&lt;message&gt;</c></summary>
    public static void RoomMessage(IBufferWriter<byte> output, ReadOnlySpan<byte> room, long senderId, ReadOnlySpan<byte> payload)
    {
        output.Write(Wire.Room);
        output.Write(room);
        output.WriteByte(Wire.Colon);
        output.WriteNumber(senderId);
        output.WriteByte(Wire.Colon);
        output.Write(payload);
        output.WriteByte(Wire.LineFeed);
    }

    /// <summary><c>OK:&lt;COMMAND&gt;:&lt;argument&gt;</c>, e.g. <c>OK:JOIN:lobby</c>; <paramref name="command"/> without its colon.</summary>
    public static void Ok(IBufferWriter<byte> output, ReadOnlySpan<byte> command, ReadOnlySpan<byte> argument)
    {
        output.Write(Wire.Ok);
        output.Write(command.TrimEnd(Wire.Colon));
        output.WriteByte(Wire.Colon);
        output.Write(argument);
        output.WriteByte(Wire.LineFeed);
    }

    /// <summary><c>JOINED:&lt;id&gt;</c> (a client connected) or <c>LEFT:&lt;id&gt;</c> (a client left), for watchers.</summary>
    public static void Presence(IBufferWriter<byte> output, bool joined, long clientId)
    {
        output.Write(joined ? Wire.Joined : Wire.Left);
        output.WriteNumber(clientId);
        output.WriteByte(Wire.LineFeed);
    }

    /// <summary><c>DELIVERED:&lt;ref&gt;</c></summary>
    public static void Delivered(IBufferWriter<byte> output, ReadOnlySpan<byte> reference)
    {
        output.Write(Wire.Delivered);
        output.Write(reference);
        output.WriteByte(Wire.LineFeed);
    }

    /// <summary>
    /// <c>ERROR:NOT_DELIVERED:&lt;ref&gt;:&lt;CAUSE&gt;:&lt;text&gt;</c>: the <c>TOACK:</c> with that reference
    /// did not reach its target.
    /// </summary>
    public static void NotDelivered(IBufferWriter<byte> output, ReadOnlySpan<byte> reference, ReceiptFailure cause, long targetId)
    {
        StartError(output, ErrorCode.NotDelivered);
        output.Write(reference);
        output.WriteByte(Wire.Colon);
        output.Write(ReceiptFailures.CodeOf(cause));
        output.WriteByte(Wire.Colon);
        switch (cause)
        {
            case ReceiptFailure.UnknownTarget:
                output.Write("no client "u8);
                output.WriteNumber(targetId);
                break;
            case ReceiptFailure.Disconnected:
                output.Write("client "u8);
                output.WriteNumber(targetId);
                output.Write(" left before it could take the message"u8);
                break;
            case ReceiptFailure.Timeout:
                output.Write("no receipt from the node of client "u8);
                output.WriteNumber(targetId);
                output.Write(" in time; the message may or may not have arrived"u8);
                break;
            default:
                output.Write(cause == ReceiptFailure.BadEncoding ? "message is not valid UTF-8"u8 : UsageOf(CommandKind.ToAck));
                break;
        }

        output.WriteByte(Wire.LineFeed);
    }

    /// <summary><c>ERROR:NOT_MEMBER:not in room &lt;room&gt;; JOIN:&lt;room&gt; first</c></summary>
    public static void NotMember(IBufferWriter<byte> output, ReadOnlySpan<byte> room)
    {
        StartError(output, ErrorCode.NotMember);
        output.Write("not in room "u8);
        output.Write(room);
        output.Write("; JOIN:"u8);
        output.Write(room);
        output.Write(" first"u8);
        output.WriteByte(Wire.LineFeed);
    }

    /// <summary><c>ERROR:TOO_MANY_ROOMS:already in &lt;max&gt; rooms, the most one client may join</c></summary>
    public static void TooManyRooms(IBufferWriter<byte> output, int maxRooms)
    {
        StartError(output, ErrorCode.TooManyRooms);
        output.Write("already in "u8);
        output.WriteNumber(maxRooms);
        output.Write(" rooms, the most one client may join"u8);
        output.WriteByte(Wire.LineFeed);
    }

    /// <summary>
    /// <c>WHO:&lt;total&gt;:&lt;id&gt;,&lt;id&gt;…[:MORE]</c> or <c>MEMBERS:&lt;room&gt;:&lt;total&gt;:&lt;id&gt;,…[:MORE]</c>:
    /// one page of ids in ascending order; <c>:MORE</c> when a next page exists.
    /// </summary>
    public static void IdPage(IBufferWriter<byte> output, ReadOnlySpan<byte> room, long total, ReadOnlySpan<long> ids, bool more)
    {
        if (room.IsEmpty)
        {
            output.Write(Wire.Who);
            output.WriteByte(Wire.Colon);
        }
        else
        {
            output.Write(Wire.Members);
            output.Write(room);
            output.WriteByte(Wire.Colon);
        }

        output.WriteNumber(total);
        output.WriteByte(Wire.Colon);
        for (var i = 0; i < ids.Length; i++)
        {
            if (i > 0)
                output.WriteByte(Wire.Comma);
            output.WriteNumber(ids[i]);
        }

        EndPage(output, more);
    }

    /// <summary><c>ROOMS:&lt;room&gt;=&lt;members&gt;,…[:MORE]</c>: one page of rooms in ordinal order.</summary>
    public static void RoomPage(IBufferWriter<byte> output, IReadOnlyList<(string Room, long Members)> rooms, bool more)
    {
        output.Write(Wire.Rooms);
        output.WriteByte(Wire.Colon);
        for (var i = 0; i < rooms.Count; i++)
        {
            if (i > 0)
                output.WriteByte(Wire.Comma);
            var (room, members) = rooms[i];
            // Room names are ASCII by rule, so one char is one byte.
            var span = output.GetSpan(room.Length);
            System.Text.Encoding.ASCII.GetBytes(room, span);
            output.Advance(room.Length);
            output.WriteByte(Wire.EqualsSign);
            output.WriteNumber(members);
        }

        EndPage(output, more);
    }

    private static void EndPage(IBufferWriter<byte> output, bool more)
    {
        if (more)
        {
            output.WriteByte(Wire.Colon);
            output.Write(Wire.More);
        }

        output.WriteByte(Wire.LineFeed);
    }

    /// <summary>An error whose text is fixed.</summary>
    private static void Error(IBufferWriter<byte> output, ErrorCode code, ReadOnlySpan<byte> text)
    {
        StartError(output, code);
        output.Write(text);
        output.WriteByte(Wire.LineFeed);
    }

    private static void StartError(IBufferWriter<byte> output, ErrorCode code)
    {
        output.Write(Wire.Error);
        output.Write(Wire.CodeOf(code));
        output.WriteByte(Wire.Colon);
    }
}
