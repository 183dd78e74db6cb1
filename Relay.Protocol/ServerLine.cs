namespace Relay.Protocol;

/// <summary>What a server line says.</summary>
public enum ServerLineKind : byte
{
    /// <summary><c>YOUR_ID:&lt;id&gt;</c></summary>
    YourId,

    /// <summary><c>FROM:&lt;sender&gt;:&lt;message&gt;</c></summary>
    From,

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
    private ServerLine(ServerLineKind kind, long id, ReadOnlySpan<byte> code, ReadOnlySpan<byte> text)
    {
        Kind = kind;
        Id = id;
        Code = code;
        Text = text;
    }

    /// <summary>What the line says.</summary>
    public ServerLineKind Kind { get; }

    /// <summary>The client's own id (<see cref="ServerLineKind.YourId"/>) or the sender's (<see cref="ServerLineKind.From"/>).</summary>
    public long Id { get; }

    /// <summary>For <see cref="ServerLineKind.Error"/>: the code as sent (see <see cref="Wire.TryParseCode"/>).</summary>
    public ReadOnlySpan<byte> Code { get; }

    /// <summary>The message of a <c>FROM</c>, the text of an <c>ERROR</c> or <c>RECONNECT</c>, or the whole of an unknown line.</summary>
    public ReadOnlySpan<byte> Text { get; }

    /// <summary>Parses one line, terminator removed. Never throws.</summary>
    public static ServerLine Parse(ReadOnlySpan<byte> line)
    {
        // FROM:<sender>:<message>
        if (line.StartsWith(Wire.From))
        {
            var rest = line[Wire.From.Length..];
            var colon = rest.IndexOf(Wire.Colon);
            if (colon > 0 && CommandParser.TryParseId(rest[..colon], out var sender))
                return new ServerLine(ServerLineKind.From, sender, default, rest[(colon + 1)..]);
        }

        // YOUR_ID:<id>
        else if (line.StartsWith(Wire.YourId))
        {
            if (CommandParser.TryParseId(line[Wire.YourId.Length..], out var id))
                return new ServerLine(ServerLineKind.YourId, id, default, default);
        }

        // ERROR:<CODE>:<text>
        else if (line.StartsWith(Wire.Error))
        {
            var rest = line[Wire.Error.Length..];
            var colon = rest.IndexOf(Wire.Colon);
            return colon < 0
                ? new ServerLine(ServerLineKind.Error, 0, rest, default)
                : new ServerLine(ServerLineKind.Error, 0, rest[..colon], rest[(colon + 1)..]);
        }

        // RECONNECT:<text>
        else if (line.StartsWith(Wire.Reconnect))
        {
            return new ServerLine(ServerLineKind.Reconnect, 0, default, line[Wire.Reconnect.Length..]);
        }

        // PONG
        else if (line.SequenceEqual(Wire.Pong))
        {
            return new ServerLine(ServerLineKind.Pong, 0, default, default);
        }

        return new ServerLine(ServerLineKind.Unknown, 0, default, line);
    }
}
