using System.Text;

namespace Relay.Protocol.Tests;

public sealed class AuthRequestTests
{
    [Theory]
    [InlineData("AUTH:s3cret", "s3cret")]
    [InlineData("auth:with:colons and spaces", "with:colons and spaces")]
    [InlineData("AUTH:안녕", "안녕")]
    public void Reads_the_token_of_a_text_auth_line(string line, string token) =>
        Assert.Equal(token, Encoding.UTF8.GetString(AuthRequest.TokenOf(Encoding.UTF8.GetBytes(line), json: false)!));

    [Theory]
    [InlineData("""{"op":"auth","token":"s3cret"}""", "s3cret")]
    [InlineData("""{"token":"s3cret","op":"auth","ref":"a1"}""", "s3cret")]
    [InlineData("""{ "op" : "auth" , "token" : "quote\"and\\slash\u00e9" }""", "quote\"and\\slashé")]
    public void Reads_the_token_of_a_json_auth_object(string line, string token) =>
        Assert.Equal(token, Encoding.UTF8.GetString(AuthRequest.TokenOf(Encoding.UTF8.GetBytes(line), json: true)!));

    [Theory]
    [InlineData("AUTH:", false)]
    [InlineData("AUTH", false)]
    [InlineData("TO:1:AUTH:x", false)]
    [InlineData("PING", false)]
    [InlineData("""{"op":"auth"}""", true)]
    [InlineData("""{"op":"auth","token":""}""", true)]
    [InlineData("""{"op":"auth","token":7}""", true)]
    [InlineData("""{"op":"ping","token":"x"}""", true)]
    [InlineData("""{"op":"auth","token":"x","extra":"y"}""", true)]
    [InlineData("""{"op":"auth","token":"x","token":"y"}""", true)]
    [InlineData("""{"op":"auth","token":"x"} trailing""", true)]
    [InlineData("not json", true)]
    [InlineData("AUTH:x", true)]
    public void Refuses_anything_but_a_well_formed_auth_request(string line, bool json) =>
        Assert.Null(AuthRequest.TokenOf(Encoding.UTF8.GetBytes(line), json));

    [Fact]
    public void Refuses_a_token_longer_than_any_configured_one_could_be()
    {
        Assert.Null(AuthRequest.TokenOf(Encoding.ASCII.GetBytes("AUTH:" + new string('x', AuthRequest.MaxTokenBytes + 1)), json: false));
        Assert.NotNull(AuthRequest.TokenOf(Encoding.ASCII.GetBytes("AUTH:" + new string('x', AuthRequest.MaxTokenBytes)), json: false));
    }
}
