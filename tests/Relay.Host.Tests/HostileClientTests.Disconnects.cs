using System.Net.Sockets;
using Relay.Testing;

namespace Relay.Host.Tests;

/// <summary>Clients that go away at the worst moment: in the middle of a command, or of the node's write.</summary>
public sealed partial class HostileClientTests
{
    [Fact]
    public async Task A_command_cut_off_by_a_reset_is_dropped_and_its_sender_becomes_unknown()
    {
        await using var node = await NodeProcess.StartAsync();
        await using var bystanders = await ConnectBystandersAsync(node);
        var (hostile, hostileId) = await LineSocket.ConnectClientAsync(node.ClientEndpoint);

        await hostile.SendAsync($"TO:{bystanders.BId}:whole\nTO:{bystanders.BId}:cut off in the mid");
        Assert.Equal($"FROM:{hostileId}:whole", await bystanders.B.ReadLineAsync());
        await ResetAsync(hostile);

        await Eventually.UnknownTargetAsync(bystanders.A, hostileId);
        // B's next line is A's, not the rest of the cut one.
        await bystanders.AssertUnaffectedAsync();
    }

    [Fact]
    public async Task A_command_cut_off_by_a_half_close_is_answered_with_its_error_before_the_close()
    {
        await using var node = await NodeProcess.StartAsync();
        await using var bystanders = await ConnectBystandersAsync(node);
        var (text, textId) = await LineSocket.ConnectClientAsync(node.ClientEndpoint);
        var (json, jsonId) = await LineSocket.ConnectClientAsync(node.ClientEndpoint);
        await using var _t = text;
        await using var _j = json;

        // The node cannot tell a cut line from a last line without its newline: it handles it as a
        // line (docs/protocol.md, "Framing"), and what is left of these is malformed.
        await text.SendAsync($"TO:{bystanders.BId}:whole\nTO:{bystanders.BId}");
        text.Socket.Shutdown(SocketShutdown.Send);
        await json.SendAsync($"{{\"op\":\"to\",\"to\":{bystanders.BId},\"text\":\"whole\"}}\n{{\"op\":\"to\",\"to\":{bystanders.BId},\"te");
        json.Socket.Shutdown(SocketShutdown.Send);

        Assert.Equal("ERROR:BAD_FORMAT:expected TO:<id>:<message> with a positive numeric id", await text.ReadLineAsync());
        Assert.Null(await text.TryReadLineAsync());
        Assert.StartsWith("{\"op\":\"hello\",", await json.ReadLineAsync(), StringComparison.Ordinal);
        Assert.StartsWith("{\"op\":\"error\",\"code\":\"BAD_JSON\"", await json.ReadLineAsync(), StringComparison.Ordinal);
        Assert.Null(await json.TryReadLineAsync());
        // From two senders the order is not promised.
        Assert.Equal(
            new[] { $"FROM:{jsonId}:whole", $"FROM:{textId}:whole" }.Order(StringComparer.Ordinal),
            new[] { await bystanders.B.ReadLineAsync(), await bystanders.B.ReadLineAsync() }.Order(StringComparer.Ordinal));
        await bystanders.AssertUnaffectedAsync();
    }

    [Fact]
    public async Task A_client_that_resets_while_the_node_writes_to_it_leaves_its_sender_exactly_one_answer_per_receipt()
    {
        const int Messages = 20_000;
        await using var node = await NodeProcess.StartAsync();
        var pid = node.Process.Id;
        await using var bystanders = await ConnectBystandersAsync(node);
        var socketsBefore = ProcFs.OpenSockets(pid);
        var (sender, senderId) = await LineSocket.ConnectClientAsync(node.ClientEndpoint);
        var (receiver, receiverId) = await LineSocket.ConnectClientAsync(node.ClientEndpoint);
        var payload = new string('r', 1000);

        // 20 MB of receipted messages: far more than the socket buffers and the node's queue hold.
        var sending = Task.Run(async () =>
        {
            for (var i = 0; i < Messages; i += 100)
                await sender.SendAsync(string.Concat(Enumerable.Range(i, 100).Select(n => $"TOACK:r{n}:{receiverId}:{payload}\n")));
        });
        // The receiver takes part of the flood, then resets with megabytes on their way to it.
        for (var i = 0; i < 500; i++)
            Assert.Equal($"FROM:{senderId}:{payload}", await receiver.ReadLineAsync());
        await ResetAsync(receiver);

        var answers = new Dictionary<string, string>();
        while (answers.Count < Messages)
        {
            var line = await sender.ReadLineAsync(TimeSpan.FromSeconds(30));
            var (reference, answer) = line.StartsWith("DELIVERED:", StringComparison.Ordinal)
                ? (line["DELIVERED:".Length..], "DELIVERED")
                : (line.Split(':')[2], line.Split(':')[3]);
            Assert.True(answers.TryAdd(reference, answer), $"a second answer for {reference}: '{line}'");
        }

        await sending;
        await sender.SendAsync("PING\n");
        Assert.Equal("PONG", await sender.ReadLineAsync());
        var counts = answers.Values.CountBy(answer => answer).ToDictionary();
        Assert.True(counts.GetValueOrDefault("DELIVERED") >= 500, $"answers: {string.Join(", ", counts)}");
        Assert.True(counts.GetValueOrDefault("DISCONNECTED") + counts.GetValueOrDefault("UNKNOWN_TARGET") > 0, $"answers: {string.Join(", ", counts)}");
        Assert.True(
            counts.Keys.All(answer => answer is "DELIVERED" or "DISCONNECTED" or "UNKNOWN_TARGET"),
            $"answers: {string.Join(", ", counts)}; {string.Join(" | ", answers.Where(a => a.Value is not ("DELIVERED" or "DISCONNECTED" or "UNKNOWN_TARGET")).Take(5))}");
        await sender.DisposeAsync();
        await Eventually.TrueAsync("the node's sockets are closed", () =>
            ProcFs.CloseWaitSockets(node.ClientEndpoint.Port) == 0 && ProcFs.OpenSockets(pid) <= socketsBefore);
        await bystanders.AssertUnaffectedAsync();
    }

    [Fact]
    public async Task Closes_with_IDLE_TIMEOUT_a_client_that_connects_and_says_nothing_while_quiet_talkers_stay()
    {
        var config = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(config, "relay.connection.idle-timeout = 1s\n");
            await using var node = await NodeProcess.StartAsync("--config", config);
            var pid = node.Process.Id;
            await using var bystanders = await ConnectBystandersAsync(node);
            // The bystanders say one thing each, then nothing for longer than the timeout.
            foreach (var talker in new[] { bystanders.A, bystanders.B })
            {
                await talker.SendAsync("PING\n");
                Assert.Equal("PONG", await talker.ReadLineAsync());
            }

            var socketsBefore = ProcFs.OpenSockets(pid);
            var (silent, silentId) = await LineSocket.ConnectClientAsync(node.ClientEndpoint);
            var (blank, _) = await LineSocket.ConnectClientAsync(node.ClientEndpoint);
            var (halfJson, _) = await LineSocket.ConnectClientAsync(node.ClientEndpoint);
            await using var _s = silent;
            await using var _b = blank;
            await using var _j = halfJson;
            await blank.SendAsync("\n\r\n\n");
            await halfJson.SendAsync("{\"op\":\"ping\"");

            const string TimedOut = "ERROR:IDLE_TIMEOUT:no command within 1 s of connecting; closing the connection";
            Assert.Equal(TimedOut, await silent.ReadLineAsync());
            Assert.Null(await silent.TryReadLineAsync());
            Assert.Equal(TimedOut, await blank.ReadLineAsync());
            Assert.Null(await blank.TryReadLineAsync());
            Assert.StartsWith("{\"op\":\"hello\",", await halfJson.ReadLineAsync(), StringComparison.Ordinal);
            Assert.Equal(
                "{\"op\":\"error\",\"code\":\"IDLE_TIMEOUT\",\"text\":\"no command within 1 s of connecting; closing the connection\"}",
                await halfJson.ReadLineAsync());
            Assert.Null(await halfJson.TryReadLineAsync());

            await Eventually.UnknownTargetAsync(bystanders.A, silentId);
            await Eventually.TrueAsync("the node's sockets are closed", () =>
                ProcFs.CloseWaitSockets(node.ClientEndpoint.Port) == 0 && ProcFs.OpenSockets(pid) <= socketsBefore);
            // Silent for longer than the timeout, but they had spoken: still connected, still relaying.
            await bystanders.AssertUnaffectedAsync();
        }
        finally
        {
            File.Delete(config);
        }
    }

    /// <summary>Closes with SO_LINGER 0: a TCP reset, not a FIN, and whatever was unsent is dropped.</summary>
    private static async Task ResetAsync(LineSocket client)
    {
        client.Socket.LingerState = new LingerOption(true, 0);
        await client.DisposeAsync();
    }
}
