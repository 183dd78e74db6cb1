using System.Text.Unicode;

namespace Relay.Protocol;

/// <summary>Turns one client line (terminator already removed) into a <see cref="ClientCommand"/>.</summary>
public static class CommandParser
{
    // A positive id fits in 18 decimal digits without overflowing a long.
    private const int MaxIdDigits = 18;

    /// <summary>Parses a line. Never throws: bad input becomes <see cref="CommandKind.Invalid"/>.</summary>
    public static ClientCommand Parse(ReadOnlySpan<byte> line)
    {
        if (line.IsEmpty)
            return ClientCommand.Of(CommandKind.Empty);

        // The keyword is everything before the first colon, or the whole line.
        var colon = line.IndexOf(Wire.Colon);
        var keyword = colon < 0 ? line : line[..(colon + 1)];
        var rest = colon < 0 ? default : line[(colon + 1)..];

        if (Is(keyword, Wire.To))
            return ParseTo(rest);
        if (Is(keyword, Wire.ToAck))
            return ParseToAck(rest);
        if (Is(keyword, Wire.All))
            return Message(CommandKind.All, 0, default, rest);
        if (Is(keyword, Wire.Room))
            return ParseRoomMessage(rest);
        if (Is(keyword, Wire.Join))
            return ParseRoom(CommandKind.Join, rest);
        if (Is(keyword, Wire.Leave))
            return ParseRoom(CommandKind.Leave, rest);
        if (Is(keyword, Wire.Members))
            return ParseMembers(rest);
        if (Is(keyword, Wire.Watch))
            return ParseWatch(rest);
        // Bare words may be followed by spaces: over UDP a request is padded to earn a longer reply.
        var bareWord = line.TrimEnd((byte)' ');
        if (Is(bareWord, Wire.Rooms))
            return ClientCommand.Of(CommandKind.Rooms);
        if (IsWithArgument(keyword, Wire.Rooms))
        {
            // Trailing spaces pad a UDP request, as after a bare word.
            var after = rest.TrimEnd((byte)' ');
            return Names.IsValid(after) ? ClientCommand.Of(CommandKind.Rooms, name: after) : ClientCommand.Invalid(ErrorCode.BadName, CommandKind.Rooms);
        }
        if (Is(bareWord, Wire.Who))
            return ClientCommand.Of(CommandKind.Who);
        if (IsWithArgument(keyword, Wire.Who))
            return TryParseCursor(rest, out var after) ? ClientCommand.Of(CommandKind.Who, after) : ClientCommand.Invalid(ErrorCode.BadFormat, CommandKind.Who);
        if (Is(bareWord, Wire.Ping))
            return ClientCommand.Of(CommandKind.Ping);
        if (Is(bareWord, Wire.Quit))
            return ClientCommand.Of(CommandKind.Quit);
        if (Is(bareWord, Wire.Hello))
            return ClientCommand.Of(CommandKind.Hello);

        // A command word without its colon ("JOIN"): tell the client what the command looks like.
        if (colon < 0 && BareKeyword(line) is { } bare)
            return ClientCommand.Invalid(ErrorCode.BadFormat, bare);

        return ClientCommand.Invalid(ErrorCode.UnknownCommand);
    }

    /// <summary>Parses a client id: ASCII digits, positive, spaces around it tolerated (the seed's server did).</summary>
    public static bool TryParseId(ReadOnlySpan<byte> text, out long id) => TryParseNumber(text, out id) && id > 0;

    // TO:<id>:<message>
    private static ClientCommand ParseTo(ReadOnlySpan<byte> rest)
    {
        var colon = rest.IndexOf(Wire.Colon);
        if (colon < 0 || !TryParseId(rest[..colon], out var target))
            return ClientCommand.Invalid(ErrorCode.BadFormat, CommandKind.To);

        return Message(CommandKind.To, target, default, rest[(colon + 1)..]);
    }

    // TOACK:<ref>:<id>:<message>
    private static ClientCommand ParseToAck(ReadOnlySpan<byte> rest)
    {
        var colon = rest.IndexOf(Wire.Colon);
        var reference = colon < 0 ? rest : rest[..colon];
        if (!Names.IsValid(reference))
            return ClientCommand.Invalid(ErrorCode.BadName, CommandKind.ToAck);

        // From here on the reference is known, so every refusal carries it.
        rest = colon < 0 ? default : rest[(colon + 1)..];
        colon = rest.IndexOf(Wire.Colon);
        if (colon < 0 || !TryParseId(rest[..colon], out var target))
            return ClientCommand.Invalid(ErrorCode.BadFormat, CommandKind.ToAck, reference);

        return Message(CommandKind.ToAck, target, reference, rest[(colon + 1)..]);
    }

    // ROOM:<room>:<message>
    private static ClientCommand ParseRoomMessage(ReadOnlySpan<byte> rest)
    {
        var colon = rest.IndexOf(Wire.Colon);
        if (colon < 0)
            return ClientCommand.Invalid(ErrorCode.BadFormat, CommandKind.Room);

        var room = rest[..colon];
        return Names.IsValid(room)
            ? Message(CommandKind.Room, 0, room, rest[(colon + 1)..])
            : ClientCommand.Invalid(ErrorCode.BadName, CommandKind.Room);
    }

    // JOIN:<room>, LEAVE:<room>
    private static ClientCommand ParseRoom(CommandKind kind, ReadOnlySpan<byte> room) =>
        Names.IsValid(room) ? ClientCommand.Of(kind, name: room) : ClientCommand.Invalid(ErrorCode.BadName, kind);

    // MEMBERS:<room>[:<after>]
    private static ClientCommand ParseMembers(ReadOnlySpan<byte> rest)
    {
        var colon = rest.IndexOf(Wire.Colon);
        // Trailing spaces pad a UDP request, as after a bare word.
        var room = colon < 0 ? rest.TrimEnd((byte)' ') : rest[..colon];
        if (!Names.IsValid(room))
            return ClientCommand.Invalid(ErrorCode.BadName, CommandKind.Members);

        long after = 0;
        if (colon >= 0 && !TryParseCursor(rest[(colon + 1)..], out after))
            return ClientCommand.Invalid(ErrorCode.BadFormat, CommandKind.Members);

        return ClientCommand.Of(CommandKind.Members, after, room);
    }

    // WATCH:ON, WATCH:OFF
    private static ClientCommand ParseWatch(ReadOnlySpan<byte> rest)
    {
        if (Is(rest, Wire.On))
            return ClientCommand.Of(CommandKind.Watch, 1);
        if (Is(rest, Wire.Off))
            return ClientCommand.Of(CommandKind.Watch, 0);
        return ClientCommand.Invalid(ErrorCode.BadFormat, CommandKind.Watch);
    }

    private static ClientCommand Message(CommandKind kind, long target, ReadOnlySpan<byte> name, ReadOnlySpan<byte> payload) =>
        Utf8.IsValid(payload) ? ClientCommand.Of(kind, target, name, payload) : ClientCommand.Invalid(ErrorCode.BadEncoding, kind, name);

    /// <summary>A page cursor: the last id of the previous page, 0 or more.</summary>
    private static bool TryParseCursor(ReadOnlySpan<byte> text, out long after) => TryParseNumber(text, out after);

    private static bool TryParseNumber(ReadOnlySpan<byte> text, out long value)
    {
        value = 0;
        text = text.Trim((byte)' ');
        if (text.IsEmpty || text.Length > MaxIdDigits)
            return false;

        foreach (var b in text)
        {
            var digit = b - (byte)'0';
            if ((uint)digit > 9)
                return false;
            value = value * 10 + digit;
        }

        return true;
    }

    /// <summary>The command whose keyword (colon left off) <paramref name="word"/> is, for those that take arguments.</summary>
    private static CommandKind? BareKeyword(ReadOnlySpan<byte> word) =>
        Is(word, Wire.To[..^1]) ? CommandKind.To
        : Is(word, Wire.ToAck[..^1]) ? CommandKind.ToAck
        : Is(word, Wire.All[..^1]) ? CommandKind.All
        : Is(word, Wire.Join[..^1]) ? CommandKind.Join
        : Is(word, Wire.Leave[..^1]) ? CommandKind.Leave
        : Is(word, Wire.Room[..^1]) ? CommandKind.Room
        : Is(word, Wire.Members[..^1]) ? CommandKind.Members
        : Is(word, Wire.Watch[..^1]) ? CommandKind.Watch
        : null;

    // "ROOMS:" given the keyword "ROOMS".
    private static bool IsWithArgument(ReadOnlySpan<byte> keyword, ReadOnlySpan<byte> bareUpperAscii) =>
        keyword.Length == bareUpperAscii.Length + 1 && keyword[^1] == Wire.Colon && Is(keyword[..^1], bareUpperAscii);

    private static bool Is(ReadOnlySpan<byte> text, ReadOnlySpan<byte> upperAscii) =>
        System.Text.Ascii.EqualsIgnoreCase(text, upperAscii);
}
