namespace Relay.Client;

/// <summary>What a line typed by the user asks the client to do.</summary>
internal abstract record ChatAction
{
    /// <summary>Send <paramref name="Text"/> to <paramref name="Target"/>.</summary>
    public sealed record Send(long Target, string Text) : ChatAction;

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
/// Interprets what the user types: the seed's two-step flow (a target id, then the message) and
/// one-line commands (<c>/to 2 hello</c>). The same rules serve the prompt and piped input.
/// </summary>
internal sealed class ChatInput
{
    public const string HelpText =
        "Type a target id, then the message (as the seed's client does), or one line:\n" +
        "  /to <id> <message>   send a message\n" +
        "  /ping                check the server answers\n" +
        "  /help                this text\n" +
        "  exit, /quit, Ctrl+D  leave";

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
        if (trimmed.Equals("exit", StringComparison.OrdinalIgnoreCase) || trimmed.Equals("/quit", StringComparison.OrdinalIgnoreCase))
            return new ChatAction.Quit();
        if (trimmed.Equals("/ping", StringComparison.OrdinalIgnoreCase))
            return new ChatAction.Ping();
        if (trimmed.Equals("/help", StringComparison.OrdinalIgnoreCase))
            return new ChatAction.Help();
        if (trimmed.StartsWith("/to ", StringComparison.OrdinalIgnoreCase))
            return InterpretTo(trimmed[4..].TrimStart());
        if (trimmed.StartsWith('/'))
            return new ChatAction.Continue($"unknown command {trimmed.Split(' ')[0]}; /help lists them");
        if (!TryParseId(trimmed, out var id))
            return new ChatAction.Continue($"'{trimmed}' is not a client id (a positive number); /help for more");

        _target = id;
        return new ChatAction.Continue();
    }

    private static ChatAction InterpretTo(string rest)
    {
        var space = rest.IndexOf(' ');
        var idText = space < 0 ? rest : rest[..space];
        if (!TryParseId(idText, out var id))
            return new ChatAction.Continue("usage: /to <id> <message>");
        return new ChatAction.Send(id, space < 0 ? "" : rest[(space + 1)..]);
    }

    private static bool TryParseId(string text, out long id) =>
        long.TryParse(text, System.Globalization.NumberStyles.None, null, out id) && id > 0;
}
