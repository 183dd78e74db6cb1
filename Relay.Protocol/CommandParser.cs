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

        // TO:<id>:<message>
        if (StartsWithIgnoreCase(line, Wire.To))
            return ParseTo(line[Wire.To.Length..]);

        // PING
        if (EqualsIgnoreCase(line, Wire.Ping))
            return ClientCommand.Of(CommandKind.Ping);

        // QUIT
        if (EqualsIgnoreCase(line, Wire.Quit))
            return ClientCommand.Of(CommandKind.Quit);

        return ClientCommand.Invalid(ErrorCode.UnknownCommand);
    }

    /// <summary>Parses a client id: ASCII digits, positive, spaces around it tolerated (the seed's server did).</summary>
    public static bool TryParseId(ReadOnlySpan<byte> text, out long id)
    {
        id = 0;
        text = text.Trim((byte)' ');
        if (text.IsEmpty || text.Length > MaxIdDigits)
            return false;

        foreach (var b in text)
        {
            var digit = b - (byte)'0';
            if ((uint)digit > 9)
                return false;
            id = id * 10 + digit;
        }

        return id > 0;
    }

    private static ClientCommand ParseTo(ReadOnlySpan<byte> rest)
    {
        var colon = rest.IndexOf(Wire.Colon);
        if (colon < 0 || !TryParseId(rest[..colon], out var target))
            return ClientCommand.Invalid(ErrorCode.BadFormat);

        var payload = rest[(colon + 1)..];
        if (!Utf8.IsValid(payload))
            return ClientCommand.Invalid(ErrorCode.BadEncoding);

        return ClientCommand.Send(target, payload);
    }

    private static bool StartsWithIgnoreCase(ReadOnlySpan<byte> line, ReadOnlySpan<byte> prefix) =>
        line.Length >= prefix.Length && EqualsIgnoreCase(line[..prefix.Length], prefix);

    private static bool EqualsIgnoreCase(ReadOnlySpan<byte> text, ReadOnlySpan<byte> upperAscii) =>
        System.Text.Ascii.EqualsIgnoreCase(text, upperAscii);
}
