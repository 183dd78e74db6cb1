using System.Text;

namespace Relay.Protocol.Tests;

public sealed class CommandParserTests
{
    [Theory]
    [InlineData("TO:2:hello", 2, "hello")]
    [InlineData("TO:2:", 2, "")]
    [InlineData("TO:2:a:b::c:", 2, "a:b::c:")]
    [InlineData("to:7:lower-case command", 7, "lower-case command")]
    [InlineData("TO: 3 :spaces around the id, as the seed allowed", 3, "spaces around the id, as the seed allowed")]
    [InlineData("TO:007:leading zeros", 7, "leading zeros")]
    [InlineData("TO:999999999999999999:largest id", 999999999999999999, "largest id")]
    [InlineData("TO:1:안녕 B야", 1, "안녕 B야")]
    [InlineData("TO:1:  keeps spaces  ", 1, "  keeps spaces  ")]
    public void Parses_a_relay_request(string line, long target, string message)
    {
        var command = CommandParser.Parse(Encoding.UTF8.GetBytes(line));

        Assert.Equal(CommandKind.To, command.Kind);
        Assert.Equal(target, command.TargetId);
        Assert.Equal(message, Encoding.UTF8.GetString(command.Payload));
    }

    [Theory]
    [InlineData("TO:abc:hi")]
    [InlineData("TO:-1:hi")]
    [InlineData("TO:+1:hi")]
    [InlineData("TO:0:hi")]
    [InlineData("TO::hi")]
    [InlineData("TO:2")]
    [InlineData("TO:")]
    [InlineData("TO:1.5:hi")]
    [InlineData("TO:9999999999999999999:overflows a long")]
    public void Refuses_a_malformed_relay_request_as_bad_format(string line)
    {
        var command = CommandParser.Parse(Encoding.UTF8.GetBytes(line));

        Assert.Equal(CommandKind.Invalid, command.Kind);
        Assert.Equal(ErrorCode.BadFormat, command.Error);
    }

    [Theory]
    [InlineData("helo")]
    [InlineData("FROM:1:x")]
    [InlineData("T")]
    [InlineData("PINGPONG")]
    [InlineData(" TO:1:x")]
    public void Refuses_an_unknown_command(string line)
    {
        var command = CommandParser.Parse(Encoding.UTF8.GetBytes(line));

        Assert.Equal(CommandKind.Invalid, command.Kind);
        Assert.Equal(ErrorCode.UnknownCommand, command.Error);
    }

    [Theory]
    [InlineData(new byte[] { 0xFF })]
    [InlineData(new byte[] { 0xC3 })]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]
    public void Refuses_a_message_that_is_not_utf8(byte[] invalid)
    {
        var command = CommandParser.Parse([.. "TO:1:ok "u8, .. invalid]);

        Assert.Equal(CommandKind.Invalid, command.Kind);
        Assert.Equal(ErrorCode.BadEncoding, command.Error);
    }

    [Theory]
    [InlineData("PING", CommandKind.Ping)]
    [InlineData("ping", CommandKind.Ping)]
    [InlineData("QUIT", CommandKind.Quit)]
    [InlineData("Quit", CommandKind.Quit)]
    [InlineData("", CommandKind.Empty)]
    public void Recognises_the_other_commands(string line, CommandKind kind) =>
        Assert.Equal(kind, CommandParser.Parse(Encoding.UTF8.GetBytes(line)).Kind);
}
