using System.Globalization;
using System.Text.RegularExpressions;
using Relay.Testing;

namespace Relay.Client.Tests;

/// <summary>The console client with <c>--json</c> and <c>--udp</c>, as a real process: same console, other wires.</summary>
public sealed partial class ConsoleClientTests
{
    private string[] UdpEndpoint => ["--host", fixture.Host, "--port", fixture.UdpPort.ToString(CultureInfo.InvariantCulture), "--udp"];

    [Fact]
    public async Task A_json_chat_and_a_text_chat_talk_to_each_other()
    {
        await using var json = await StartChatAsync("--json");
        await using var text = await StartChatAsync();

        await json.Process.WriteLineAsync($"/to {text.Id} from json: \"quoted\" \\ 안녕");
        await text.Process.WaitForLineAsync(l => l == $"from {json.Id}: from json: \"quoted\" \\ 안녕", what: "the json chat's message");
        await text.Process.WriteLineAsync($"/to {json.Id} from text: {{\"op\":\"not json\"}}");
        await json.Process.WaitForLineAsync(l => l == $"from {text.Id}: from text: {{\"op\":\"not json\"}}", what: "the text chat's message");
        await json.Process.WriteLineAsync($"/ack {text.Id} with a receipt");
        await json.Process.WaitForLineAsync(l => l == $"#1 to {text.Id} \"with a receipt\": delivered", what: "the receipt");
        json.Process.CloseInput();
        text.Process.CloseInput();

        Assert.Equal(0, await json.Process.WaitForExitAsync());
        Assert.Equal(0, await text.Process.WaitForExitAsync());
    }

    [Fact]
    public async Task The_json_chat_shows_exactly_what_the_text_chat_shows()
    {
        var room = "same-" + Guid.NewGuid().ToString("N")[..12];
        string[] script =
        [
            $"/join {room}", $"/room {room} hi", $"/members {room}", $"/rooms {room}", $"/leave {room}", $"/room {room} gone",
            "/to 987654321 nobody", "/ack 987654321 nobody either", "/watch on", "/watch off", "/who 999999999", "/ping", "/join bad!", "/help",
        ];

        var transcripts = new List<IEnumerable<string>>();
        foreach (var mode in new[] { Array.Empty<string>(), ["--json"] })
        {
            await using var chat = await StartChatAsync(mode);
            foreach (var line in script)
                await chat.Process.WriteLineAsync(line);
            chat.Process.CloseInput();
            Assert.Equal(1, await chat.Process.WaitForExitAsync());
            // Stdout and stderr interleave as they will: compare the lines, not their order.
            var me = new Regex($@"\b{chat.Id}\b");
            transcripts.Add(chat.Process.Transcript.Split('\n').Select(l => me.Replace(l, "<me>")).Order(StringComparer.Ordinal).ToList());
        }

        Assert.Equal(transcripts[0], transcripts[1]);
    }

    [Theory]
    [InlineData("--udp")]
    [InlineData("--udp --json")]
    public async Task A_udp_chat_talks_with_a_tcp_client(string mode)
    {
        await using var tcp = await RelayClient.ConnectAsync(fixture.Host, fixture.Port);
        await using var udp = await StartChatAsync([.. UdpEndpoint, .. mode.Split(' ')]);

        await udp.Process.WriteLineAsync($"/to {tcp.Id} over udp: 안녕");
        Assert.Equal(new MessageReceived(udp.Id, "over udp: 안녕"), await tcp.NextEventAsync());
        await tcp.SendAsync(udp.Id, "back over tcp");
        await udp.Process.WaitForLineAsync(l => l == $"from {tcp.Id}: back over tcp", what: "the tcp client's message");
        await udp.Process.WriteLineAsync(Math.Min(udp.Id, tcp.Id) > 1 ? $"/who {Math.Min(udp.Id, tcp.Id) - 1}" : "/who");
        var online = await udp.Process.WaitForLineAsync(l => l.Contains(" online: ", StringComparison.Ordinal), what: "the WHO answer");
        Assert.Contains($" {Math.Max(udp.Id, tcp.Id)}", online, StringComparison.Ordinal);
        await udp.Process.WriteLineAsync($"/ack {tcp.Id} receipted");
        await udp.Process.WaitForLineAsync(l => l == $"#1 to {tcp.Id} \"receipted\": delivered", what: "the receipt");
        udp.Process.CloseInput();

        Assert.Equal(0, await udp.Process.WaitForExitAsync());
        // Its QUIT ended the session at once.
        Assert.Equal(new MessageReceived(udp.Id, "receipted"), await tcp.NextEventAsync());
        await tcp.GoneAsync(udp.Id);
    }

    [Theory]
    [InlineData("--json")]
    [InlineData("--udp")]
    [InlineData("--udp --json")]
    public async Task Send_and_listen_work_in_every_mode(string mode)
    {
        var options = mode.Split(' ');
        var endpoint = options.Contains("--udp") ? UdpEndpoint : Endpoint;
        await using var listener = TestProcess.StartProject("Relay.Client", ["listen", "--count", "1", .. endpoint, .. options]);
        var listenerId = IdFrom(await listener.WaitForLineAsync(l => l.Contains("your ID is"), what: "the listener's id"));

        await using var send = TestProcess.StartProject("Relay.Client", ["send", "--to", listenerId.ToString(CultureInfo.InvariantCulture), "hello", "there:", "안녕", .. endpoint, .. options]);

        Assert.Equal(0, await send.WaitForExitAsync());
        await listener.WaitForLineAsync(l => Regex.IsMatch(l, "^from [0-9]+: hello there: 안녕$"), what: "the message");
        Assert.Equal(0, await listener.WaitForExitAsync());

        await using var refused = TestProcess.StartProject("Relay.Client", ["send", "--to", "987654321", "nobody", .. endpoint, .. options]);
        Assert.Equal(1, await refused.WaitForExitAsync());
        Assert.Contains("error UNKNOWN_TARGET: no client 987654321", refused.Transcript, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Says_in_one_line_that_nobody_answers_hello_over_udp()
    {
        using var silent = new System.Net.Sockets.UdpClient(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        var port = ((System.Net.IPEndPoint)silent.Client.LocalEndPoint!).Port.ToString(CultureInfo.InvariantCulture);

        await using var chat = TestProcess.StartProject("Relay.Client", "--udp", "--port", port);

        Assert.Equal(1, await chat.WaitForExitAsync());
        Assert.Equal(
            $"relay-client: cannot connect to 127.0.0.1:{port}: no answer to HELLO over UDP (5 tries, 1 s apart); is it the node's UDP port (relay-host --udp-port)?",
            chat.Transcript.Trim());
    }
}
