namespace Relay.Client.Tests;

public sealed class ChatInputTests
{
    private readonly ChatInput _input = new();

    [Fact]
    public void Follows_the_seeds_two_step_flow_target_then_message()
    {
        Assert.Equal("target ID (exit to quit): ", _input.Prompt);
        Assert.Equal(new ChatAction.Continue(), _input.Interpret("2"));
        Assert.Equal("message to 2: ", _input.Prompt);
        Assert.Equal(new ChatAction.Send(2, "hello B"), _input.Interpret("hello B"));
        Assert.Equal("target ID (exit to quit): ", _input.Prompt);
    }

    [Fact]
    public void Sends_a_message_that_looks_like_a_command_in_the_message_step()
    {
        _input.Interpret("3");
        Assert.Equal(new ChatAction.Send(3, "/quit is just text here"), _input.Interpret("/quit is just text here"));
    }

    [Theory]
    [InlineData("/to 2 hello there", 2, "hello there")]
    [InlineData("/TO 15 안녕", 15, "안녕")]
    [InlineData("/to 4", 4, "")]
    public void Sends_with_the_one_line_form(string line, long target, string text) =>
        Assert.Equal(new ChatAction.Send(target, text), _input.Interpret(line));

    [Theory]
    [InlineData("exit")]
    [InlineData("EXIT")]
    [InlineData("/quit")]
    public void Quits(string line) => Assert.Equal(new ChatAction.Quit(), _input.Interpret(line));

    [Theory]
    [InlineData("abc", "'abc' is not a client id")]
    [InlineData("-3", "'-3' is not a client id")]
    [InlineData("/to x hi", "usage: /to <id> <message>")]
    [InlineData("/frobnicate", "unknown command /frobnicate")]
    public void Explains_what_it_cannot_use(string line, string problem)
    {
        var action = Assert.IsType<ChatAction.Continue>(_input.Interpret(line));
        Assert.StartsWith(problem, action.Problem);
        Assert.Equal("target ID (exit to quit): ", _input.Prompt);
    }

    [Fact]
    public void Ignores_blank_lines() => Assert.Equal(new ChatAction.Continue(), _input.Interpret("   "));
}

public sealed class SlashCommandTests
{
    private readonly ChatInput _input = new();

    // object: ChatAction is internal to the client.
    public static TheoryData<string, object> WellFormed => new()
    {
        { "/ack 7 did you get this?", new ChatAction.SendWithReceipt(7, "did you get this?") },
        { "/all hello: everyone", new ChatAction.Broadcast("hello: everyone") },
        { "/join lobby", new ChatAction.Join("lobby") },
        { "/JOIN Dev.team_2-b", new ChatAction.Join("Dev.team_2-b") },
        { "/leave lobby", new ChatAction.Leave("lobby") },
        { "/room lobby hi all: of you", new ChatAction.RoomMessage("lobby", "hi all: of you") },
        { "/rooms", new ChatAction.ListRooms() },
        { "/rooms lobby", new ChatAction.ListRooms("lobby") },
        { "/members lobby", new ChatAction.ListMembers("lobby") },
        { "/members lobby 12", new ChatAction.ListMembers("lobby", 12) },
        { "/who", new ChatAction.Who() },
        { "/who 500", new ChatAction.Who(500) },
        { "/watch on", new ChatAction.Watch(true) },
        { "/watch OFF", new ChatAction.Watch(false) },
        { "/ping", new ChatAction.Ping() },
        { "/help", new ChatAction.Help() },
    };

    [Theory]
    [MemberData(nameof(WellFormed))]
    public void Turns_each_slash_command_into_its_action(string line, object expected) =>
        Assert.Equal(expected, _input.Interpret(line));

    [Theory]
    [InlineData("/ack", "usage: /ack <id> <message>")]
    [InlineData("/ack x hi", "usage: /ack <id> <message>")]
    [InlineData("/all", "usage: /all <message>")]
    [InlineData("/join", "usage: /join <room>")]
    [InlineData("/join bad!name", "usage: /join <room> ('bad!name' is not a room name: 1-64 characters of A-Z a-z 0-9 _ . -)")]
    [InlineData("/join two words", "usage: /join <room> ('two words' is not a room name: 1-64 characters of A-Z a-z 0-9 _ . -)")]
    [InlineData("/join 안녕", "usage: /join <room> ('안녕' is not a room name: 1-64 characters of A-Z a-z 0-9 _ . -)")]
    [InlineData("/leave", "usage: /leave <room>")]
    [InlineData("/leave a:b", "usage: /leave <room> ('a:b' is not a room name: 1-64 characters of A-Z a-z 0-9 _ . -)")]
    [InlineData("/room", "usage: /room <room> <message>")]
    [InlineData("/room lobby", "usage: /room <room> <message>")]
    [InlineData("/room bad! hi", "usage: /room <room> <message> ('bad!' is not a room name: 1-64 characters of A-Z a-z 0-9 _ . -)")]
    [InlineData("/rooms a,b", "usage: /rooms [<after room>] ('a,b' is not a room name: 1-64 characters of A-Z a-z 0-9 _ . -)")]
    [InlineData("/members", "usage: /members <room> [<after id>]")]
    [InlineData("/members bad=name", "usage: /members <room> [<after id>] ('bad=name' is not a room name: 1-64 characters of A-Z a-z 0-9 _ . -)")]
    [InlineData("/members lobby x", "usage: /members <room> [<after id>]")]
    [InlineData("/members lobby 0", "usage: /members <room> [<after id>]")]
    [InlineData("/members lobby 1 2", "usage: /members <room> [<after id>]")]
    [InlineData("/who x", "usage: /who [<after id>]")]
    [InlineData("/who -1", "usage: /who [<after id>]")]
    [InlineData("/watch", "usage: /watch on|off")]
    [InlineData("/watch maybe", "usage: /watch on|off")]
    [InlineData("/ping now", "usage: /ping")]
    [InlineData("/help me", "usage: /help")]
    [InlineData("/quit now", "usage: /quit")]
    public void Answers_bad_usage_with_one_usage_line(string line, string problem)
    {
        var action = Assert.IsType<ChatAction.Continue>(_input.Interpret(line));
        Assert.Equal(problem, action.Problem);
        Assert.DoesNotContain('\n', action.Problem!);
        Assert.Equal("target ID (exit to quit): ", _input.Prompt);
    }

    [Fact]
    public void Accepts_a_room_name_of_64_characters_and_refuses_65()
    {
        Assert.Equal(new ChatAction.Join(new string('r', 64)), _input.Interpret("/join " + new string('r', 64)));
        Assert.StartsWith("usage: /join <room> (", Assert.IsType<ChatAction.Continue>(_input.Interpret("/join " + new string('r', 65))).Problem);
    }

    [Fact]
    public void Help_lists_every_command_of_the_dispatcher_with_its_usage()
    {
        Assert.IsType<ChatAction.Help>(_input.Interpret("/help"));
        var lines = ChatInput.HelpText.Split('\n');

        Assert.NotEmpty(ChatInput.Commands);
        foreach (var command in ChatInput.Commands)
            Assert.Contains(lines, line => line.TrimStart().StartsWith(command.Usage + " ", StringComparison.Ordinal));
    }

    [Fact]
    public void Reads_every_command_of_the_dispatcher_by_its_name_in_any_case()
    {
        foreach (var command in ChatInput.Commands)
        {
            var action = new ChatInput().Interpret("/" + command.Name.ToUpperInvariant());
            Assert.False(action is ChatAction.Continue { Problem: { } problem } && problem.StartsWith("unknown command", StringComparison.Ordinal),
                $"/{command.Name} is in the table but not recognised");
        }
    }
}
