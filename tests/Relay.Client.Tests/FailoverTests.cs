using System.Globalization;
using Relay.Testing;

namespace Relay.Client.Tests;

/// <summary>The console client against a real 2-node cluster whose node it uses goes away.</summary>
public sealed class FailoverTests
{
    [Fact]
    public async Task Reconnects_to_another_node_tells_the_user_its_new_id_and_restores_its_rooms_and_watch()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        var (first, second) = (cluster.Nodes[0].ClientEndpoint, cluster.Nodes[1].ClientEndpoint);
        await using var listener = TestProcess.StartProject(
            "Relay.Client", "listen", "--count", "1", "--port", second.Port.ToString(CultureInfo.InvariantCulture));
        var listenerId = IdFrom(await listener.WaitForLineAsync(l => l.Contains("your ID is")));
        await using var chat = TestProcess.StartProject("Relay.Client", "--nodes", $"{first},{second}");
        await chat.WaitForLineAsync(l => l.StartsWith($"connected to {first}", StringComparison.Ordinal), what: "the first connection");
        await chat.WriteLineAsync("/join lobby");
        await chat.WriteLineAsync("/watch on");
        await chat.WaitForLineAsync(l => l == "joined lobby", what: "the join");
        await chat.WaitForLineAsync(l => l.StartsWith("watching", StringComparison.Ordinal), what: "the watch");

        cluster.Nodes[0].Process.Terminate();

        await chat.WaitForLineAsync(l => l.StartsWith("server: node leaving", StringComparison.Ordinal), what: "the reconnect line");
        var newId = IdFrom(await chat.WaitForLineAsync(
            l => l.StartsWith($"reconnected to {second}, your new ID is ", StringComparison.Ordinal), what: "the failover"));
        // The new connection is in the same rooms and watches again, as the user had it.
        await chat.WaitForLineAsync(l => l == "joined lobby", what: "the room joined again on the new node");
        await chat.WaitForLineAsync(l => l.StartsWith("watching", StringComparison.Ordinal), what: "watching again on the new node");
        await chat.WriteLineAsync($"/to {listenerId} after failover");
        await listener.WaitForLineAsync(l => l == $"from {newId}: after failover", what: "the message sent after failover");
        chat.CloseInput();
        Assert.Equal(0, await chat.WaitForExitAsync());
    }

    private static long IdFrom(string line) =>
        long.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
}
