using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using Relay.Testing;
using Xunit.Abstractions;

namespace Relay.Host.Tests;

/// <summary>
/// A real network partition: three nodes in network namespaces of their own, one of them cut off
/// from the other two (its cluster link taken down) while every client can still reach every node.
/// </summary>
public sealed class ClusterPartitionTests(ITestOutputHelper output)
{
    private const int Minority = 2;
    // Probes while the cut lasts: one line every this often.
    private static readonly TimeSpan ProbeInterval = TimeSpan.FromMilliseconds(100);
    // docs/cluster.md: unreachable after about 4 s (acceptable-heartbeat-pause 3 s + a heartbeat),
    // downed stable-after (5 s) later. Each wait is bounded well above that.
    private static readonly TimeSpan UnreachableWithin = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan DownedWithin = TimeSpan.FromSeconds(30);

    [NetworkNamespacesFact]
    public async Task A_node_cut_off_from_the_others_downs_itself_its_clients_fail_over_to_the_majority_and_after_healing_it_serves_again()
    {
        await using var cluster = await NamespaceCluster.StartAsync(3);
        var (a, aId) = await LineSocket.ConnectClientAsync(cluster.ClientEndpoint(0));
        var (b, bId) = await LineSocket.ConnectClientAsync(cluster.ClientEndpoint(1));
        var (c, cId) = await LineSocket.ConnectClientAsync(cluster.ClientEndpoint(Minority));
        await using var _a = a;
        await using var _b = b;
        await using var _c = c;
        await a.SendAsync("WATCH:ON\n");
        Assert.Equal("OK:WATCH:ON", await a.ReadLineAsync());
        // The console client with every node, the one to be cut off first.
        var nodes = string.Join(',', new[] { Minority, 0, 1 }.Select(i => cluster.ClientEndpoint(i).ToString()));
        await using var chat = TestProcess.StartProject("Relay.Client", "--nodes", nodes);
        var chatId = IdFrom(await chat.WaitForLineAsync(
            l => l.StartsWith($"connected to {cluster.ClientEndpoint(Minority)}, your ID is ", StringComparison.Ordinal), what: "the chat's first connection"));
        await c.SendAsync($"TO:{aId}:before the cut\n");
        await ReadUntilAsync(a, $"FROM:{cId}:before the cut");
        await chat.WriteLineAsync($"/to {bId} before the cut");
        await ReadUntilAsync(b, $"FROM:{chatId}:before the cut");

        var clock = Stopwatch.StartNew();
        await cluster.CutAsync(Minority);

        // Both sides probe each other until the minority's node has closed its clients: what each sees, when.
        var minoritySees = ProbeUntilClosedAsync(c, $"TO:{aId}:from the minority\n", clock);
        var majoritySees = ProbeAsync(a, $"TO:{cId}:to the minority\n", clock,
            seen => seen.Any(l => l.Line == $"ERROR:UNKNOWN_TARGET:no client {cId}") && seen.Any(l => l.Line == $"LEFT:{cId}") && seen.Any(l => l.Line == $"LEFT:{chatId}"));
        await chat.WaitForLineAsync(l => l.StartsWith("server: node leaving", StringComparison.Ordinal), DownedWithin, "the chat told to reconnect");
        var chatReconnectAsked = clock.Elapsed;
        var newId = IdFrom(await chat.WaitForLineAsync(
            l => l.StartsWith($"reconnected to {cluster.ClientEndpoint(0)}, your new ID is ", StringComparison.Ordinal), DownedWithin, "the chat's failover"));
        var chatReconnected = clock.Elapsed;
        var exitCode = await cluster.Nodes[Minority].Process.WaitForExitAsync(DownedWithin);
        var exited = clock.Elapsed;
        // The node says why it stopped, and exits non-zero (Akka.Hosting's -1 after a downing), so that
        // a service manager restarts it and an operator can tell.
        var why = await cluster.Nodes[Minority].Process.WaitForErrorLineAsync(
            l => l.StartsWith("relay: the cluster downed this node", StringComparison.Ordinal), TimeSpan.FromSeconds(1), "the node's last word");
        Assert.Equal(255, exitCode);
        var minority = await minoritySees;
        var majority = await majoritySees;

        output.WriteLine($"cut at 0 ms; the minority's client {cId} saw:");
        Describe(minority);
        output.WriteLine($"the majority's client {aId} saw:");
        Describe(majority);
        output.WriteLine($"the console client: RECONNECT shown at {Ms(chatReconnectAsked)}, reconnected to node 0 with id {newId} at {Ms(chatReconnected)}");
        output.WriteLine($"the minority's node exited with code {exitCode} at {Ms(exited)}: {why}");

        // The minority's client: its messages to the majority's clients get UNKNOWN_TARGET once its
        // node marks them unreachable; then it is told to reconnect, and its connection closes.
        var firstUnknown = minority.FindIndex(l => l.Line == $"ERROR:UNKNOWN_TARGET:no client {aId}");
        var reconnect = minority.FindIndex(l => l.Line.StartsWith("RECONNECT:", StringComparison.Ordinal));
        Assert.InRange(firstUnknown, 0, reconnect - 1);
        Assert.InRange(minority[firstUnknown].At, TimeSpan.Zero, UnreachableWithin);
        Assert.Equal("(closed)", minority[^1].Line);
        Assert.DoesNotContain(minority, l => l.Line.StartsWith("FROM:", StringComparison.Ordinal));
        // The majority's client: the cut-off node's clients are unknown, and watchers see them leave.
        Assert.InRange(majority.First(l => l.Line == $"ERROR:UNKNOWN_TARGET:no client {cId}").At, TimeSpan.Zero, UnreachableWithin);
        Assert.Contains(majority, l => l.Line == $"LEFT:{chatId}");
        Assert.NotEqual(chatId, newId);

        // The majority went on all along; the failed-over client chats from its new id.
        await b.SendAsync($"TO:{aId}:the majority goes on\n");
        await ReadUntilAsync(a, $"FROM:{bId}:the majority goes on");
        await chat.WriteLineAsync($"/to {aId} after the failover");
        await ReadUntilAsync(a, $"FROM:{newId}:after the failover");
        await b.SendAsync($"TO:{newId}:welcome over\n");
        await chat.WaitForLineAsync(l => l == $"from {bId}: welcome over", what: "a message to the chat's new id");

        // Healed and restarted (as a service manager would), the node rejoins and relays again.
        await cluster.HealAsync(Minority);
        await cluster.StartNodeAsync(Minority);
        output.WriteLine($"healed and restarted: node serving again at {Ms(clock.Elapsed)}");
        var (d, dId) = await LineSocket.ConnectClientAsync(cluster.ClientEndpoint(Minority));
        await using var _d = d;
        await d.SendAsync($"TO:{aId}:back after healing\n");
        await ReadUntilAsync(a, $"FROM:{dId}:back after healing");
        await a.SendAsync($"TO:{dId}:welcome back\n");
        Assert.Equal($"FROM:{aId}:welcome back", await d.ReadLineAsync());
        await chat.WriteLineAsync($"/to {dId} hello across the healed cut");
        Assert.Equal($"FROM:{newId}:hello across the healed cut", await d.ReadLineAsync());
    }

    /// <summary>Sends <paramref name="probe"/> every <see cref="ProbeInterval"/> and notes every line, until the connection closes.</summary>
    private static Task<List<(TimeSpan At, string Line)>> ProbeUntilClosedAsync(LineSocket socket, string probe, Stopwatch clock) =>
        ProbeAsync(socket, probe, clock, seen => seen.Count > 0 && seen[^1].Line == "(closed)");

    /// <summary>Sends <paramref name="probe"/> every <see cref="ProbeInterval"/> and notes every line, until <paramref name="done"/>.</summary>
    private static async Task<List<(TimeSpan At, string Line)>> ProbeAsync(
        LineSocket socket, string probe, Stopwatch clock, Func<List<(TimeSpan At, string Line)>, bool> done)
    {
        var seen = new List<(TimeSpan At, string Line)>();
        var sending = true;
        var deadline = clock.Elapsed + DownedWithin;
        var nextProbe = TimeSpan.Zero;
        while (!done(seen))
        {
            if (clock.Elapsed > deadline)
                throw new TimeoutException($"still waiting after {DownedWithin.TotalSeconds} s; seen: {string.Join(" | ", seen.Select(l => l.Line))}");
            if (sending && clock.Elapsed >= nextProbe)
            {
                nextProbe = clock.Elapsed + ProbeInterval;
                try
                {
                    await socket.SendAsync(probe);
                }
                catch (SocketException)
                {
                    // The node closed the connection: read what it sent before.
                    sending = false;
                }
            }

            try
            {
                var line = await socket.TryReadLineAsync(ProbeInterval);
                seen.Add((clock.Elapsed, line ?? "(closed)"));
                sending &= line is not null;
            }
            catch (TimeoutException)
            {
                // Nothing within the interval: probe again.
            }
            catch (SocketException)
            {
                seen.Add((clock.Elapsed, "(closed)"));
                sending = false;
            }
        }

        return seen;
    }

    /// <summary>Each kind of line once, with when it came first and how often: a timeline of what a client saw.</summary>
    private void Describe(List<(TimeSpan At, string Line)> seen)
    {
        foreach (var kind in seen.GroupBy(l => l.Line).OrderBy(g => g.First().At))
            output.WriteLine($"  {Ms(kind.First().At),9}  {kind.Key}{(kind.Count() > 1 ? $" (×{kind.Count()}, last at {Ms(kind.Last().At)})" : "")}");
    }

    private static async Task ReadUntilAsync(LineSocket socket, string expected)
    {
        var deadline = DateTime.UtcNow + LineSocket.DefaultTimeout;
        while (await socket.ReadLineAsync() != expected)
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"no '{expected}' within {LineSocket.DefaultTimeout.TotalSeconds} s");
        }
    }

    private static string Ms(TimeSpan at) => $"{at.TotalMilliseconds:0} ms";

    private static long IdFrom(string line) => long.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
}

/// <summary>A fact that needs network namespaces (root, iproute2): skipped, saying why, where they cannot be made.</summary>
public sealed class NetworkNamespacesFactAttribute : FactAttribute
{
    public NetworkNamespacesFactAttribute()
    {
        if (NetworkNamespaces.Unavailable is { } reason)
            Skip = reason;
    }
}
