namespace Relay.Protocol;

/// <summary>What a server line says.</summary>
public enum ServerLineKind : byte
{
    /// <summary><c>YOUR_ID:&lt;id&gt;</c></summary>
    YourId,

    /// <summary><c>FROM:&lt;sender&gt;:&lt;message&gt;</c></summary>
    From,

    /// <summary><c>ALL:&lt;sender&gt;:&lt;message&gt;</c>: a broadcast.</summary>
    Broadcast,

    /// <summary><c>ROOM:&lt;room&gt;:&lt;sender&gt;:&lt;message&gt;</c></summary>
    Room,

    /// <summary><c>OK:&lt;COMMAND&gt;:&lt;argument&gt;</c></summary>
    Ok,

    /// <summary><c>JOINED:&lt;id&gt;</c>: a client connected (to watchers).</summary>
    Joined,

    /// <summary><c>LEFT:&lt;id&gt;</c>: a client left (to watchers).</summary>
    Left,

    /// <summary><c>DELIVERED:&lt;ref&gt;</c></summary>
    Delivered,

    /// <summary><c>WHO:&lt;total&gt;:&lt;ids&gt;[:MORE]</c></summary>
    Who,

    /// <summary><c>MEMBERS:&lt;room&gt;:&lt;total&gt;:&lt;ids&gt;[:MORE]</c></summary>
    Members,

    /// <summary><c>ROOMS:&lt;room&gt;=&lt;count&gt;,…[:MORE]</c></summary>
    Rooms,

    /// <summary><c>ERROR:&lt;CODE&gt;:&lt;text&gt;</c></summary>
    Error,

    /// <summary><c>PONG</c></summary>
    Pong,

    /// <summary><c>RECONNECT:&lt;text&gt;</c>: the node is leaving; the connection closes next.</summary>
    Reconnect,

    /// <summary>Anything else: a line from a newer server, or not a RelayChat server at all.</summary>
    Unknown,
}

/// <summary>One parsed server line; spans are slices of the line, valid while it is.</summary>
public readonly ref struct ServerLine
{
    private ServerLine(ServerLineKind kind, long id, ReadOnlySpan<byte> name, ReadOnlySpan<byte> text, bool more = false)
    {
        Kind = kind;
        Id = id;
        Name = name;
        Text = text;
        More = more;
    }

    /// <summary>What the line says.</summary>
    public ServerLineKind Kind { get; }

    /// <summary>
    /// The client's own id (<see cref="ServerLineKind.YourId"/>), the sender's (<see cref="ServerLineKind.From"/>,
    /// <see cref="ServerLineKind.Broadcast"/>, <see cref="ServerLineKind.Room"/>), the client that came or went
    /// (<see cref="ServerLineKind.Joined"/>, <see cref="ServerLineKind.Left"/>), or the total of a
    /// <see cref="ServerLineKind.Who"/> or <see cref="ServerLineKind.Members"/> list.
    /// </summary>
    public long Id { get; }

    /// <summary>
    /// The room (<see cref="ServerLineKind.Room"/>, <see cref="ServerLineKind.Members"/>), the reference
    /// (<see cref="ServerLineKind.Delivered"/>), the command (<see cref="ServerLineKind.Ok"/>), or the code of an
    /// <see cref="ServerLineKind.Error"/> (see <see cref="Wire.TryParseCode"/>).
    /// </summary>
    public ReadOnlySpan<byte> Name { get; }

    /// <summary>For <see cref="ServerLineKind.Error"/>: the code as sent.</summary>
    public ReadOnlySpan<byte> Code => Kind == ServerLineKind.Error ? Name : default;

    /// <summary>
    /// The message (<c>FROM</c>, <c>ALL</c>, <c>ROOM</c>), the argument of an <c>OK</c>, the text of an
    /// <c>ERROR</c> or <c>RECONNECT</c>, the comma-separated items of a list, or the whole of an unknown line.
    /// </summary>
    public ReadOnlySpan<byte> Text { get; }

    /// <summary>For lists: a next page exists.</summary>
    public bool More { get; }

    /// <summary>Parses one line, terminator removed. Never throws.</summary>
    public static ServerLine Parse(ReadOnlySpan<byte> line)
    {
        var colon = line.IndexOf(Wire.Colon);
        var keyword = colon < 0 ? line : line[..(colon + 1)];
        var rest = colon < 0 ? default : line[(colon + 1)..];

        if (keyword.SequenceEqual(Wire.From) && TryIdThenText(rest, out var sender, out var message))
            return new ServerLine(ServerLineKind.From, sender, default, message);
        if (keyword.SequenceEqual(Wire.All) && TryIdThenText(rest, out sender, out message))
            return new ServerLine(ServerLineKind.Broadcast, sender, default, message);
        if (keyword.SequenceEqual(Wire.Room) && TryNameThen(rest, out var room, out var afterRoom)
            && TryIdThenText(afterRoom, out sender, out message))
            return new ServerLine(ServerLineKind.Room, sender, room, message);
        if (keyword.SequenceEqual(Wire.YourId) && CommandParser.TryParseId(rest, out var id))
            return new ServerLine(ServerLineKind.YourId, id, default, default);
        if (keyword.SequenceEqual(Wire.Joined) && CommandParser.TryParseId(rest, out id))
            return new ServerLine(ServerLineKind.Joined, id, default, default);
        if (keyword.SequenceEqual(Wire.Left) && CommandParser.TryParseId(rest, out id))
            return new ServerLine(ServerLineKind.Left, id, default, default);
        if (keyword.SequenceEqual(Wire.Ok) && TryNameThen(rest, out var command, out var argument))
            return new ServerLine(ServerLineKind.Ok, 0, command, argument);
        if (keyword.SequenceEqual(Wire.Delivered))
            return new ServerLine(ServerLineKind.Delivered, 0, rest, default);
        if (keyword.SequenceEqual(Wire.Error))
        {
            return TryNameThen(rest, out var code, out var text)
                ? new ServerLine(ServerLineKind.Error, 0, code, text)
                : new ServerLine(ServerLineKind.Error, 0, rest, default);
        }

        if (keyword.SequenceEqual(Wire.Reconnect))
            return new ServerLine(ServerLineKind.Reconnect, 0, default, rest);
        if (keyword.Length == Wire.Who.Length + 1 && keyword.StartsWith(Wire.Who) && TryPage(rest, out var total, out var items, out var more))
            return new ServerLine(ServerLineKind.Who, total, default, items, more);
        if (keyword.SequenceEqual(Wire.Members) && TryNameThen(rest, out room, out var page) && TryPage(page, out total, out items, out more))
            return new ServerLine(ServerLineKind.Members, total, room, items, more);
        if (keyword.Length == Wire.Rooms.Length + 1 && keyword.StartsWith(Wire.Rooms))
        {
            more = rest.EndsWith(":MORE"u8);
            return new ServerLine(ServerLineKind.Rooms, 0, default, more ? rest[..^5] : rest, more);
        }

        if (line.SequenceEqual(Wire.Pong))
            return new ServerLine(ServerLineKind.Pong, 0, default, default);

        return new ServerLine(ServerLineKind.Unknown, 0, default, line);
    }

    private static bool TryIdThenText(ReadOnlySpan<byte> rest, out long id, out ReadOnlySpan<byte> text)
    {
        text = default;
        id = 0;
        var colon = rest.IndexOf(Wire.Colon);
        if (colon <= 0 || !CommandParser.TryParseId(rest[..colon], out id))
            return false;
        text = rest[(colon + 1)..];
        return true;
    }

    private static bool TryNameThen(ReadOnlySpan<byte> rest, out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> after)
    {
        var colon = rest.IndexOf(Wire.Colon);
        name = colon < 0 ? default : rest[..colon];
        after = colon < 0 ? default : rest[(colon + 1)..];
        return colon > 0;
    }

    // <total>:<items>[:MORE]
    private static bool TryPage(ReadOnlySpan<byte> rest, out long total, out ReadOnlySpan<byte> items, out bool more)
    {
        items = default;
        more = false;
        total = 0;
        var colon = rest.IndexOf(Wire.Colon);
        if (colon <= 0 || (!CommandParser.TryParseId(rest[..colon], out total) && !rest[..colon].SequenceEqual("0"u8)))
            return false;
        items = rest[(colon + 1)..];
        more = items.EndsWith(":MORE"u8);
        if (more)
            items = items[..^5];
        return true;
    }
}
