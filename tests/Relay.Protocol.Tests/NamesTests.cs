using System.Text;

namespace Relay.Protocol.Tests;

public sealed class NamesTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("Lobby")]
    [InlineData("dev.team-1_x")]
    [InlineData("0123456789")]
    public void Accepts_letters_digits_underscore_dot_and_dash(string name) =>
        Assert.True(Names.IsValid(Encoding.UTF8.GetBytes(name)));

    [Theory]
    [InlineData("")]
    [InlineData("two words")]
    [InlineData("a:b")]
    [InlineData("a,b")]
    [InlineData("a=b")]
    [InlineData("방")]
    [InlineData("tab\t")]
    public void Refuses_every_other_character_and_the_empty_name(string name) =>
        Assert.False(Names.IsValid(Encoding.UTF8.GetBytes(name)));

    [Fact]
    public void Allows_at_most_64_characters()
    {
        Assert.True(Names.IsValid(Encoding.ASCII.GetBytes(new string('x', Names.MaxLength))));
        Assert.False(Names.IsValid(Encoding.ASCII.GetBytes(new string('x', Names.MaxLength + 1))));
    }
}
