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
