using Relay.Testing;
using Xunit.Abstractions;

namespace Relay.Host.Tests;

/// <summary>What clients see when a node of a real 3-process cluster crashes or leaves.</summary>
public sealed class ClusterFailureTests(ITestOutputHelper output)
{
    // The promise in docs/cluster.md: a crashed node's clients are reported well within this.
    private static readonly TimeSpan CrashReportedWithin = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Survivors_keep_relaying_and_report_a_killed_nodes_clients_then_it_rejoins()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        var ((a, aId), (b, bId), (c, cId)) = await OneClientPerNodeAsync(cluster);
        await using var _a = a;
        await using var _b = b;
        await using var _c = c;

        cluster.Nodes[2].Process.KillHard();

        // The survivors relay without interruption...
        for (var i = 0; i < 5; i++)
        {
            await a.SendAsync($"TO:{bId}:still here {i}\n");
            Assert.Equal($"FROM:{aId}:still here {i}", await b.ReadLineAsync());
        }

        // ...and messages for the dead node's client get an error instead of silence.
        var reported = await Eventually.UnknownTargetAsync(a, cId, CrashReportedWithin);
        output.WriteLine($"client of the killed node reported unknown after {reported.TotalSeconds:0.0} s");

        await cluster.StartNodeAsync(2);
        var (d, dId) = await LineSocket.ConnectClientAsync(cluster.Nodes[2].ClientEndpoint);
        await using var _d = d;
        Assert.NotEqual(cId, dId);
        await a.SendAsync($"TO:{dId}:welcome back\n");
        Assert.Equal($"FROM:{aId}:welcome back", await d.ReadLineAsync());
        await d.SendAsync($"TO:{bId}:glad to be back\n");
        Assert.Equal($"FROM:{dId}:glad to be back", await b.ReadLineAsync());
    }

    [Fact]
    public async Task Messages_for_a_killed_nodes_clients_get_an_error_within_two_seconds()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        var ((a, aId), (b, _), (c, cId)) = await OneClientPerNodeAsync(cluster);
        await using var _a = a;
        await using var _b = b;
        await using var _c = c;
        await a.SendAsync($"TO:{cId}:before the crash\n");
        Assert.Equal($"FROM:{aId}:before the crash", await c.ReadLineAsync());

        var sinceKill = System.Diagnostics.Stopwatch.StartNew();
        cluster.Nodes[2].Process.KillHard();

        // A line every 50 ms, no PING: a barrier to the dead node would wait out its timeout.
        string? answer = null;
        while (answer is null && sinceKill.Elapsed < TimeSpan.FromSeconds(10))
        {
            await a.SendAsync($"TO:{cId}:anyone there?\n");
            try
            {
                answer = await a.ReadLineAsync(TimeSpan.FromMilliseconds(50));
            }
            catch (TimeoutException)
            {
                // No answer yet: the line went towards the dead node.
            }
        }

        output.WriteLine($"first error {sinceKill.Elapsed.TotalMilliseconds:0} ms after the kill");
        Assert.Equal($"ERROR:UNKNOWN_TARGET:no client {cId}", answer);
        Assert.InRange(sinceKill.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task A_killed_nodes_members_leave_their_rooms_and_presence_and_the_room_goes_on()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        var ((a, aId), (b, bId), (c, cId)) = await OneClientPerNodeAsync(cluster);
        await using var _a = a;
        await using var _b = b;
        await using var _c = c;
        foreach (var client in new[] { a, b, c })
        {
            await client.SendAsync("JOIN:survivors\n");
            Assert.Equal("OK:JOIN:survivors", await client.ReadLineAsync());
        }

        await a.SendAsync("WATCH:ON\n");
        Assert.Equal("OK:WATCH:ON", await a.ReadLineAsync());
        await Eventually.ReplyAsync(a, "MEMBERS:survivors", "MEMBERS:survivors:", line => line.StartsWith("MEMBERS:survivors:3:", StringComparison.Ordinal));

        var started = DateTime.UtcNow;
        cluster.Nodes[2].Process.KillHard();

        Assert.Equal($"LEFT:{cId}", await a.ReadLineAsync(CrashReportedWithin));
        output.WriteLine($"watcher told of the killed node's client after {(DateTime.UtcNow - started).TotalSeconds:0.0} s");
        await a.SendAsync("MEMBERS:survivors\nWHO\nROOM:survivors:still talking\nPING\n");
        Assert.Equal($"MEMBERS:survivors:2:{Math.Min(aId, bId)},{Math.Max(aId, bId)}", await a.ReadLineAsync());
        Assert.DoesNotContain($"{cId}", (await a.ReadLineAsync()).Split(':')[2].Split(','));
        Assert.Equal("PONG", await a.ReadLineAsync());
        Assert.Equal($"ROOM:survivors:{aId}:still talking", await b.ReadLineAsync());
    }

    [Fact]
    public async Task A_leaving_node_tells_its_clients_to_reconnect_and_exits_zero()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        var ((a, aId), (b, bId), (c, cId)) = await OneClientPerNodeAsync(cluster);
        await using var _a = a;
        await using var _b = b;
        await using var _c = c;

        cluster.Nodes[2].Process.Terminate();

        Assert.StartsWith("RECONNECT:", await c.ReadLineAsync());
        Assert.Null(await c.TryReadLineAsync());
        Assert.Equal(0, await cluster.Nodes[2].Process.WaitForExitAsync());

        await a.SendAsync($"TO:{bId}:nothing happened here\n");
        Assert.Equal($"FROM:{aId}:nothing happened here", await b.ReadLineAsync());
        await Eventually.UnknownTargetAsync(a, cId);
    }

    [Fact]
    public async Task A_client_that_quits_on_RECONNECT_gets_one_answer_for_every_receipted_line_it_sent()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        var (target, targetId) = await LineSocket.ConnectClientAsync(cluster.Nodes[0].ClientEndpoint);
        var (sender, _) = await LineSocket.ConnectClientAsync(cluster.Nodes[1].ClientEndpoint);
        await using var _t = target;
        await using var _s = sender;
        var reconnect = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sent = 0;
        // Receipted lines flow, 20 per write, until RECONNECT; then QUIT (bounded: 20 s, 200,000 lines).
        var writing = Task.Run(async () =>
        {
            var until = DateTime.UtcNow + TimeSpan.FromSeconds(20);
            while (!reconnect.Task.IsCompleted && sent < 200_000 && DateTime.UtcNow < until)
            {
                var batch = new System.Text.StringBuilder();
                for (var i = 0; i < 20; i++, sent++)
                    batch.Append($"TOACK:r{sent}:{targetId}:r{sent}\n");
                await sender.SendAsync(batch.ToString());
                await Task.Delay(1);
            }

            await sender.SendAsync("QUIT\n");
        });
        var answers = new Dictionary<string, string>();
        var reading = Task.Run(async () =>
        {
            for (var line = await sender.TryReadLineAsync(); line is not null; line = await sender.TryReadLineAsync())
            {
                if (line.StartsWith("RECONNECT:", StringComparison.Ordinal))
                    reconnect.TrySetResult();
                else if (line.StartsWith("DELIVERED:", StringComparison.Ordinal))
                    answers.Add(line["DELIVERED:".Length..], line);
                else if (line.StartsWith("ERROR:NOT_DELIVERED:", StringComparison.Ordinal))
                    answers.Add(line.Split(':')[2], line);
                else
                    throw new Xunit.Sdk.XunitException($"unexpected line: {line}");
            }
        });
        // The target reads as they come (the refs are the messages), up to the PONG it asks for at
        // the end: every line confirmed DELIVERED was written to it before that PONG.
        var received = new List<string>();
        var targetReading = Task.Run(async () =>
        {
            for (var line = await target.ReadLineAsync(TimeSpan.FromSeconds(60)); line != "PONG"; line = await target.ReadLineAsync(TimeSpan.FromSeconds(60)))
                received.Add(line.Split(':')[2]);
        });
        await Eventually.TrueAsync("some lines sent before the leave", () => Volatile.Read(ref sent) > 2_000);

        cluster.Nodes[1].Process.Terminate();
        await writing;
        await reading;

        Assert.True(reconnect.Task.IsCompleted, "no RECONNECT before the close");
        Assert.Equal(Enumerable.Range(0, sent).Select(i => $"r{i}").ToHashSet(), answers.Keys.ToHashSet());
        var delivered = answers.Where(answer => answer.Value.StartsWith("DELIVERED:", StringComparison.Ordinal)).Select(answer => answer.Key).ToList();
        await target.SendAsync("PING\n");
        await targetReading;
        Assert.Equal(delivered.Order(), received.Order());
        Assert.Equal(0, await cluster.Nodes[1].Process.WaitForExitAsync());
    }

    private static async Task<((LineSocket, long), (LineSocket, long), (LineSocket, long))> OneClientPerNodeAsync(TestCluster cluster) =>
        (await LineSocket.ConnectClientAsync(cluster.Nodes[0].ClientEndpoint),
         await LineSocket.ConnectClientAsync(cluster.Nodes[1].ClientEndpoint),
         await LineSocket.ConnectClientAsync(cluster.Nodes[2].ClientEndpoint));
}
