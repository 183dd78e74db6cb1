using System.Globalization;
using System.Text;
using Relay.Protocol;

namespace Relay.Client;

/// <summary>What a line typed by the user asks the client to do.</summary>
internal abstract record ChatAction
{
    /// <summary>Send <paramref name="Text"/> to <paramref name="Target"/>.</summary>
    public sealed record Send(long Target, string Text) : ChatAction;

    /// <summary>Send <paramref name="Text"/> to <paramref name="Target"/> and report its delivery receipt.</summary>
    public sealed record SendWithReceipt(long Target, string Text) : ChatAction;

    /// <summary>Send <paramref name="Text"/> to every other client.</summary>
    public sealed record Broadcast(string Text) : ChatAction;

    /// <summary>Join <paramref name="Room"/>.</summary>
    public sealed record Join(string Room) : ChatAction;

    /// <summary>Leave <paramref name="Room"/>.</summary>
    public sealed record Leave(string Room) : ChatAction;

    /// <summary>Send <paramref name="Text"/> to the other members of <paramref name="Room"/>.</summary>
    public sealed record RoomMessage(string Room, string Text) : ChatAction;

    /// <summary>List the rooms, from the one after <paramref name="After"/> if given.</summary>
    public sealed record ListRooms(string? After = null) : ChatAction;

    /// <summary>List the members of <paramref name="Room"/>, from the id after <paramref name="After"/> if given.</summary>
    public sealed record ListMembers(string Room, long? After = null) : ChatAction;

    /// <summary>List who is online, from the id after <paramref name="After"/> if given.</summary>
    public sealed record Who(long? After = null) : ChatAction;

    /// <summary>Turn presence events on or off.</summary>
    public sealed record Watch(bool On) : ChatAction;

    /// <summary>Ask the server for a PONG.</summary>
    public sealed record Ping : ChatAction;

    /// <summary>Leave.</summary>
    public sealed record Quit : ChatAction;

    /// <summary>Show the commands.</summary>
    public sealed record Help : ChatAction;

    /// <summary>Nothing to send; the prompt changes (or shows <paramref name="Problem"/> first).</summary>
    public sealed record Continue(string? Problem = null) : ChatAction;
}

/// <summary>
/// One slash command: its name (without the slash), its arguments as shown to the user, what it
/// does, and how it reads what follows the name (trimmed, possibly empty).
/// </summary>
internal sealed record SlashCommand(string Name, string Arguments, string Description, Func<string, ChatAction> Parse)
{
    /// <summary>How it is typed, e.g. <c>/join &lt;room&gt;</c>.</summary>
    public string Usage => Arguments.Length == 0 ? "/" + Name : $"/{Name} {Arguments}";
}

/// <summary>
/// Interprets what the user types: the seed's two-step flow (a target id, then the message) and
/// one-line commands (<c>/to 2 hello</c>). The same rules serve the prompt and piped input.
/// </summary>
internal sealed class ChatInput
{
    /// <summary>Every slash command, in the order /help lists them; the one table the input is read with.</summary>
    public static readonly IReadOnlyList<SlashCommand> Commands =
    [
        new("to", "<id> <message>", "send a message", rest => IdThenText(rest, (id, text) => new ChatAction.Send(id, text))),
        new("ack", "<id> <message>", "send a message and show whether it was delivered", rest => IdThenText(rest, (id, text) => new ChatAction.SendWithReceipt(id, text))),
        new("all", "<message>", "send a message to every other client", rest => rest.Length == 0 ? Bad() : new ChatAction.Broadcast(rest)),
        new("join", "<room>", "join a room", rest => Room(rest, room => new ChatAction.Join(room))),
        new("leave", "<room>", "leave a room", rest => Room(rest, room => new ChatAction.Leave(room))),
        new("room", "<room> <message>", "send a message to the other members of a room you joined", RoomMessage),
        new("rooms", "[<after room>]", "list the rooms and their member counts", rest => rest.Length == 0 ? new ChatAction.ListRooms() : Room(rest, after => new ChatAction.ListRooms(after))),
        new("members", "<room> [<after id>]", "list the ids in a room", Members),
        new("who", "[<after id>]", "list the ids online", rest => rest.Length == 0 ? new ChatAction.Who() : TryParseId(rest, out var after) ? new ChatAction.Who(after) : Bad()),
        new("watch", "on|off", "see (or stop seeing) clients connect and leave", Watch),
        new("ping", "", "check the server answers", rest => rest.Length == 0 ? new ChatAction.Ping() : Bad()),
        new("help", "", "this text", rest => rest.Length == 0 ? new ChatAction.Help() : Bad()),
        new("quit", "", "leave (as do exit and Ctrl+D)", rest => rest.Length == 0 ? new ChatAction.Quit() : Bad()),
    ];

    private static readonly Dictionary<string, SlashCommand> ByName =
        Commands.ToDictionary(command => command.Name, StringComparer.OrdinalIgnoreCase);

    private static readonly string NameRule = Encoding.ASCII.GetString(Names.Rule);

    /// <summary>What /help prints: every command of <see cref="Commands"/>.</summary>
    public static string HelpText { get; } = BuildHelp();

    private long? _target;

    /// <summary>The prompt for the next line.</summary>
    public string Prompt => _target is null ? "target ID (exit to quit): " : $"message to {_target}: ";

    /// <summary>Interprets one line (without its newline).</summary>
    public ChatAction Interpret(string line)
    {
        if (_target is { } target)
        {
            _target = null;
            return new ChatAction.Send(target, line);
        }

        var trimmed = line.Trim();
        if (trimmed.Length == 0)
            return new ChatAction.Continue();
        if (trimmed.Equals("exit", StringComparison.OrdinalIgnoreCase))
            return new ChatAction.Quit();
        if (trimmed.StartsWith('/'))
            return InterpretCommand(trimmed);
        if (!TryParseId(trimmed, out var id))
            return new ChatAction.Continue($"'{trimmed}' is not a client id (a positive number); /help for more");

        _target = id;
        return new ChatAction.Continue();
    }

    private static ChatAction InterpretCommand(string line)
    {
        var space = line.IndexOf(' ');
        var name = space < 0 ? line[1..] : line[1..space];
        if (!ByName.TryGetValue(name, out var command))
            return new ChatAction.Continue($"unknown command /{name}; /help lists them");

        return command.Parse(space < 0 ? "" : line[(space + 1)..].TrimStart()) switch
        {
            BadUsage bad => new ChatAction.Continue($"usage: {command.Usage}{bad.Detail}"),
            var action => action,
        };
    }

    private static string BuildHelp()
    {
        var width = Commands.Max(command => command.Usage.Length) + 2;
        var help = new StringBuilder("Type a target id, then the message (as the seed's client does), or one line:");
        foreach (var command in Commands)
            help.Append("\n  ").Append(command.Usage.PadRight(width)).Append(command.Description);
        help.Append("\nRoom names are ").Append(NameRule).Append(", case-sensitive.");
        help.Append("\nA list with a next page ends in (more: <command>): type that command for the next page.");
        return help.ToString();
    }

    private static BadUsage Bad(string? detail = null) => new(detail);

    private static ChatAction IdThenText(string rest, Func<long, string, ChatAction> make)
    {
        var space = rest.IndexOf(' ');
        var idText = space < 0 ? rest : rest[..space];
        return TryParseId(idText, out var id) ? make(id, space < 0 ? "" : rest[(space + 1)..]) : Bad();
    }

    /// <summary>A room name, or the usage with what is wrong with the name.</summary>
    private static ChatAction Room(string name, Func<string, ChatAction> make) =>
        name.Length == 0 ? Bad()
        : IsRoomName(name) ? make(name)
        : Bad($" ('{name}' is not a room name: {NameRule})");

    private static ChatAction RoomMessage(string rest)
    {
        var space = rest.IndexOf(' ');
        var text = space < 0 ? "" : rest[(space + 1)..];
        return Room(space < 0 ? rest : rest[..space], room => text.Length == 0 ? Bad() : new ChatAction.RoomMessage(room, text));
    }

    private static ChatAction Members(string rest)
    {
        var parts = rest.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return parts switch
        {
            [var room] => Room(room, name => new ChatAction.ListMembers(name)),
            [var room, var after] => Room(room, name => TryParseId(after, out var id) ? new ChatAction.ListMembers(name, id) : Bad()),
            _ => Bad(),
        };
    }

    private static ChatAction Watch(string rest) =>
        rest.Equals("on", StringComparison.OrdinalIgnoreCase) ? new ChatAction.Watch(true)
        : rest.Equals("off", StringComparison.OrdinalIgnoreCase) ? new ChatAction.Watch(false)
        : Bad();

    private static bool IsRoomName(string text) =>
        text.Length <= Names.MaxLength && Ascii.IsValid(text) && Names.IsValid(Encoding.ASCII.GetBytes(text));

    private static bool TryParseId(string text, out long id) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out id) && id > 0;

    /// <summary>A slash command typed wrong: its usage is shown, followed by <paramref name="Detail"/>.</summary>
    private sealed record BadUsage(string? Detail) : ChatAction;
}
