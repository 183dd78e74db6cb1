using System.Buffers;
using System.Text;

namespace Relay.Protocol.Tests.Fuzzing;

/// <summary>A client command as a value the tests can keep and compare (a parsed command is a ref struct).</summary>
public sealed record Command(CommandKind Kind, long Number, byte[] Name, byte[] Payload, ErrorCode Error = default, CommandKind Refused = default)
{
    public static Command Of(ClientCommand parsed) =>
        new(parsed.Kind, parsed.Number, parsed.Name.ToArray(), parsed.Payload.ToArray(), parsed.Error, parsed.Refused);

    public static Command Parse(ReadOnlySpan<byte> line) => Of(CommandParser.Parse(line));

    /// <summary>What the assertions compare: every field, bytes as hex, so a mismatch shows where.</summary>
    public override string ToString() =>
        $"{Kind} number={Number} name={Convert.ToHexString(Name)} payload={Convert.ToHexString(Payload)} error={Error}/{Refused}";
}

/// <summary>Valid client commands of every kind, and the lines and JSON objects that stand for them.</summary>
public static class Commands
{
    // An id fits in 18 digits (CommandParser.MaxIdDigits).
    private const int MaxIdDigits = 18;

    private static readonly byte[] NameBytes = Encoding.ASCII.GetBytes("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-");

    /// <summary>
    /// A valid command. <paramref name="lineBreakFree"/> keeps CR out of messages too: JSON refuses
    /// a text holding one (a text client could not receive it) although a text line may carry it.
    /// </summary>
    public static Command Valid(Gen g, bool lineBreakFree = false)
    {
        var payload = Text.Utf8(g, allowCarriageReturn: !lineBreakFree);
        return g.Below(13) switch
        {
            0 => new Command(CommandKind.To, Id(g), [], payload),
            1 => new Command(CommandKind.ToAck, Id(g), Name(g), payload),
            2 => new Command(CommandKind.All, 0, [], payload),
            3 => new Command(CommandKind.Join, 0, Name(g), []),
            4 => new Command(CommandKind.Leave, 0, Name(g), []),
            5 => new Command(CommandKind.Room, 0, Name(g), payload),
            6 => new Command(CommandKind.Rooms, 0, g.Bool() ? [] : Name(g), []),
            7 => new Command(CommandKind.Members, g.Bool() ? 0 : Id(g), Name(g), []),
            8 => new Command(CommandKind.Who, g.Bool() ? 0 : Id(g), [], []),
            9 => new Command(CommandKind.Watch, g.Below(2), [], []),
            10 => new Command(CommandKind.Ping, 0, [], []),
            11 => new Command(CommandKind.Quit, 0, [], []),
            _ => new Command(CommandKind.Hello, 0, [], []),
        };
    }

    public static long Id(Gen g) => g.Positive(g.OneIn(4) ? MaxIdDigits : 4);

    /// <summary>A room name or reference: 1-64 of the name alphabet, the edges likelier.</summary>
    public static byte[] Name(Gen g)
    {
        var length = g.Below(4) switch
        {
            0 => 1,
            1 => Names.MaxLength,
            _ => g.Between(1, Names.MaxLength),
        };
        var name = new byte[length];
        for (var i = 0; i < length; i++)
            name[i] = g.Pick(NameBytes);
        return name;
    }

    /// <summary>The line the client library writes for <paramref name="command"/>, terminator removed.</summary>
    public static byte[] Line(Command command)
    {
        var output = new ArrayBufferWriter<byte>();
        switch (command.Kind)
        {
            case CommandKind.To: ClientLines.To(output, command.Number, command.Payload); break;
            case CommandKind.ToAck: ClientLines.ToAck(output, command.Name, command.Number, command.Payload); break;
            case CommandKind.All: ClientLines.All(output, command.Payload); break;
            case CommandKind.Join: ClientLines.Join(output, command.Name); break;
            case CommandKind.Leave: ClientLines.Leave(output, command.Name); break;
            case CommandKind.Room: ClientLines.Room(output, command.Name, command.Payload); break;
            case CommandKind.Rooms: ClientLines.Rooms(output, command.Name); break;
            case CommandKind.Members: ClientLines.Members(output, command.Name, command.Number); break;
            case CommandKind.Who: ClientLines.Who(output, command.Number); break;
            case CommandKind.Watch: ClientLines.Watch(output, command.Number == 1); break;
            case CommandKind.Ping: ClientLines.Ping(output); break;
            case CommandKind.Quit: ClientLines.Quit(output); break;
            // The client library has no writer for it: over TCP the greeting comes unasked.
            case CommandKind.Hello: output.Write("HELLO\n"u8); break;
            default: throw new ArgumentOutOfRangeException(nameof(command), command.Kind, null);
        }

        return output.WrittenSpan[..^1].ToArray();
    }

    /// <summary>
    /// Another spelling the parser accepts for the same command: keywords in any case, spaces
    /// around ids and cursors, and trailing spaces where a UDP client pads its list requests.
    /// </summary>
    public static byte[] Variant(Gen g, Command c)
    {
        string Word(string keyword) => new(keyword.Select(ch => g.Bool() ? char.ToLowerInvariant(ch) : ch).ToArray());
        string Spaced(long number) => new string(' ', g.Below(3)) + number + new string(' ', g.Below(3));
        string Padding() => new(' ', g.Below(4));
        var name = Encoding.ASCII.GetString(c.Name);
        var head = c.Kind switch
        {
            CommandKind.To => $"{Word("TO")}:{Spaced(c.Number)}:",
            CommandKind.ToAck => $"{Word("TOACK")}:{name}:{Spaced(c.Number)}:",
            CommandKind.All => $"{Word("ALL")}:",
            CommandKind.Join => $"{Word("JOIN")}:{name}",
            CommandKind.Leave => $"{Word("LEAVE")}:{name}",
            CommandKind.Room => $"{Word("ROOM")}:{name}:",
            CommandKind.Rooms => name.Length == 0 ? Word("ROOMS") + Padding() : $"{Word("ROOMS")}:{name}{Padding()}",
            CommandKind.Members => c.Number == 0 && g.Bool() ? $"{Word("MEMBERS")}:{name}{Padding()}" : $"{Word("MEMBERS")}:{name}:{Spaced(c.Number)}",
            CommandKind.Who => c.Number == 0 && g.Bool() ? Word("WHO") + Padding() : $"{Word("WHO")}:{Spaced(c.Number)}",
            CommandKind.Watch => $"{Word("WATCH")}:{Word(c.Number == 1 ? "ON" : "OFF")}",
            CommandKind.Ping => Word("PING") + Padding(),
            CommandKind.Quit => Word("QUIT") + Padding(),
            _ => Word("HELLO") + Padding(),
        };
        return [.. Encoding.ASCII.GetBytes(head), .. c.Payload];
    }

    /// <summary>
    /// A JSON object for <paramref name="c"/> as a client program might write it: fields in any order,
    /// any spacing, the text and field names escaped at random; a <c>ref</c> when one is given (on
    /// a <c>to</c> that is what makes it a <c>TOACK</c>, whose own reference it then is).
    /// </summary>
    public static byte[] Json(Gen g, Command c, byte[] reference)
    {
        // A quarter are written as the client library writes them (no spaces, "op" first, only the
        // escapes JSON needs): the form the codec reads by matching bytes instead of parsing.
        var compact = g.OneIn(4);
        string Space() => compact ? "" : Text.Space(g);
        string Quoted(string value) => Text.JsonString(g, value, escapeAtRandom: !compact);
        var fields = new List<(string Name, string Value)>();
        void Add(string name, string value) => fields.Add((name, value));
        string Plain(byte[] name) => $"\"{Encoding.ASCII.GetString(name)}\"";

        var op = c.Kind == CommandKind.ToAck ? "to" : c.Kind.ToString().ToLowerInvariant();
        Add("op", $"\"{op}\"");
        if (c.Kind is CommandKind.To or CommandKind.ToAck)
            Add("to", c.Number.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (c.Kind is CommandKind.Room or CommandKind.Join or CommandKind.Leave or CommandKind.Members)
            Add("room", Plain(c.Name));
        if (c.Kind is CommandKind.To or CommandKind.ToAck or CommandKind.All or CommandKind.Room)
            Add("text", Quoted(Encoding.UTF8.GetString(c.Payload)));
        if (c.Kind is CommandKind.Who or CommandKind.Members && (c.Number > 0 || g.Bool()))
            Add("after", c.Number.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (c.Kind == CommandKind.Rooms && c.Name.Length > 0)
            Add("after", Plain(c.Name));
        if (c.Kind == CommandKind.Watch)
            Add("on", c.Number == 1 ? "true" : "false");
        if (c.Kind == CommandKind.ToAck)
            Add("ref", Plain(c.Name));
        else if (reference.Length > 0)
            Add("ref", Plain(reference));

        // Writers often put "op" first, but nothing requires it.
        if (!compact && g.Bool())
            fields = fields.OrderBy(_ => g.NextULong()).ToList();
        var json = new StringBuilder("{");
        json.Append(Space());
        for (var i = 0; i < fields.Count; i++)
        {
            if (i > 0)
                json.Append(Space()).Append(',').Append(Space());
            json.Append(Quoted(fields[i].Name)).Append(Space()).Append(':').Append(Space()).Append(fields[i].Value);
        }

        json.Append(Space()).Append('}');
        return Encoding.UTF8.GetBytes(json.ToString());
    }
}
