using System.Globalization;
using Relay.Testing;

namespace Relay.Client.Tests;

/// <summary>The console client as a user or a script runs it: a real process against a real node.</summary>
public sealed partial class ConsoleClientTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private string[] Endpoint => ["--host", fixture.Host, "--port", fixture.Port.ToString(CultureInfo.InvariantCulture)];

    [Fact]
    public async Task Relays_piped_commands_end_to_end_in_both_input_forms()
    {
        await using var listener = TestProcess.StartProject("Relay.Client", ["listen", "--count", "2", .. Endpoint]);
        var listenerId = IdFrom(await listener.WaitForLineAsync(l => l.Contains("your ID is"), what: "the listener's id"));
        await using var chat = TestProcess.StartProject("Relay.Client", Endpoint);
        var chatId = IdFrom(await chat.WaitForLineAsync(l => l.Contains("your ID is"), what: "the chat's id"));

        await chat.WriteLineAsync(listenerId.ToString(CultureInfo.InvariantCulture));
        await chat.WriteLineAsync("안녕 two-step");
        await chat.WriteLineAsync($"/to {listenerId} one-line form");
        await chat.WriteLineAsync("/to 987654 nobody");
        chat.CloseInput();

        await listener.WaitForLineAsync(l => l == $"from {chatId}: 안녕 two-step", what: "the two-step message");
        await listener.WaitForLineAsync(l => l == $"from {chatId}: one-line form", what: "the one-line message");
        Assert.Equal(0, await listener.WaitForExitAsync());
        await chat.WaitForErrorLineAsync(l => l == "error UNKNOWN_TARGET: no client 987654", what: "the error for the unknown id");
        // The server refused a piped line: errors go to stderr, and the exit code says so.
        Assert.Equal(1, await chat.WaitForExitAsync());
    }

    [Fact]
    public async Task Sends_one_message_and_exits_zero()
    {
        await using var listener = TestProcess.StartProject("Relay.Client", ["listen", "--count", "1", .. Endpoint]);
        var listenerId = IdFrom(await listener.WaitForLineAsync(l => l.Contains("your ID is")));

        await using var send = TestProcess.StartProject("Relay.Client", ["send", "--to", listenerId.ToString(CultureInfo.InvariantCulture), "hello", "there", .. Endpoint]);

        Assert.Equal(0, await send.WaitForExitAsync());
        await listener.WaitForLineAsync(l => l.EndsWith(": hello there", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Exits_one_with_the_servers_error_when_the_target_is_unknown()
    {
        await using var send = TestProcess.StartProject("Relay.Client", ["send", "--to", "999999", "anyone?", .. Endpoint]);

        Assert.Equal(1, await send.WaitForExitAsync());
        Assert.Equal("error UNKNOWN_TARGET: no client 999999", await send.WaitForErrorLineAsync(l => l.StartsWith("error", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Says_in_one_line_that_the_server_is_unreachable()
    {
        await using var chat = TestProcess.StartProject("Relay.Client", "--host", "127.0.0.1", "--port", "1");

        Assert.Equal(1, await chat.WaitForExitAsync());
        Assert.Equal("relay-client: cannot connect to 127.0.0.1:1: Connection refused", chat.Transcript.Trim());
    }

    private static long IdFrom(string line) =>
        long.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
}
