using System.Globalization;
using Relay.Testing;

namespace Relay.Client.Tests;

/// <summary>The console chat over UDP when the node has forgotten it: it says so, says HELLO again and carries on.</summary>
public sealed class ConsoleSessionLostTests(UdpClientTests.ShortIdleNode node) : IClassFixture<UdpClientTests.ShortIdleNode>
{
    [Theory]
    [InlineData("--udp")]
    [InlineData("--udp --json")]
    public async Task Says_the_session_was_lost_says_hello_again_and_shows_its_new_id(string mode)
    {
        var room = "back-" + Guid.NewGuid().ToString("N")[..12];
        await using var chat = TestProcess.StartProject("Relay.Client", ["--port", node.UdpPort.ToString(CultureInfo.InvariantCulture), .. mode.Split(' ')]);
        var firstId = await IdAsync(chat, "your ID is");
        await chat.WriteLineAsync($"/join {room}");
        await chat.WaitForLineAsync(l => l == $"joined {room}", what: "the join");

        // The console keeps a session alive every 20 s; this node forgets it after 2 s of silence.
        await Task.Delay(UdpClientTests.ShortIdleNode.IdleTimeout * 2);
        await chat.WriteLineAsync("/ping");

        await chat.WaitForLineAsync(l => l == "session lost: the node no longer knows this client (send HELLO first)", what: "the session loss");
        var secondId = await IdAsync(chat, "your new ID is");
        Assert.NotEqual(firstId, secondId);
        // Its rooms come back with it.
        await chat.WaitForLineAsync(l => l == $"joined {room}", what: "the rejoin");
        chat.CloseInput();
        Assert.Equal(0, await chat.WaitForExitAsync());
    }

    private static async Task<long> IdAsync(TestProcess chat, string marker)
    {
        var line = await chat.WaitForLineAsync(l => l.Contains(marker, StringComparison.Ordinal), what: marker);
        return long.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
    }
}
