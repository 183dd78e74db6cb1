using System.Text;

namespace Relay.Protocol.Tests;

public sealed class ServerLineTests
{
    [Fact]
    public void Parses_the_welcome_line()
    {
        var line = ServerLine.Parse("YOUR_ID:17"u8);

        Assert.Equal(ServerLineKind.YourId, line.Kind);
        Assert.Equal(17, line.Id);
    }

    [Fact]
    public void Parses_a_relayed_message_with_colons()
    {
        var line = ServerLine.Parse(Encoding.UTF8.GetBytes("FROM:3:a:b:안녕"));

        Assert.Equal(ServerLineKind.From, line.Kind);
        Assert.Equal(3, line.Id);
        Assert.Equal("a:b:안녕", Encoding.UTF8.GetString(line.Text));
    }

    [Fact]
    public void Parses_an_error_into_code_and_text()
    {
        var line = ServerLine.Parse("ERROR:UNKNOWN_TARGET:no client 7"u8);

        Assert.Equal(ServerLineKind.Error, line.Kind);
        Assert.Equal("UNKNOWN_TARGET", Encoding.ASCII.GetString(line.Code));
        Assert.Equal("no client 7", Encoding.ASCII.GetString(line.Text));
    }

    [Theory]
    [InlineData("PONG", ServerLineKind.Pong)]
    [InlineData("YOUR_ID:x", ServerLineKind.Unknown)]
    [InlineData("FROM:x:y", ServerLineKind.Unknown)]
    [InlineData("HELLO", ServerLineKind.Unknown)]
    public void Classifies_other_lines(string text, ServerLineKind kind) =>
        Assert.Equal(kind, ServerLine.Parse(Encoding.UTF8.GetBytes(text)).Kind);
}
