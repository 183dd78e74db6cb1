using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Relay.Testing;

namespace Relay.Host.Tests;

/// <summary>
/// A real node against clients that misbehave, as a hostile or merely busy user would: what it
/// answers, and what /proc says about its sockets and memory meanwhile.
/// </summary>
public sealed class HostileClientTests
{
    private const long MiB = 1024 * 1024;

    [Fact]
    public async Task Answers_and_closes_500_clients_that_send_a_bad_line_and_QUIT_in_one_write_leaking_no_socket()
    {
        await using var node = await NodeProcess.StartAsync();
        var pid = node.Process.Id;
        var filesBefore = ProcFs.OpenFiles(pid);
        (string Line, string Reply)[] cases =
        [
            ("bad", "ERROR:UNKNOWN_COMMAND:"),
            ("TO:0:x", "ERROR:BAD_FORMAT:"),
            ("TO:abc", "ERROR:BAD_FORMAT:"),
            ("TO:1:\u00ff", "ERROR:BAD_ENCODING:"),
        ];

        for (var i = 0; i < 500; i++)
        {
            var (line, reply) = cases[i % cases.Length];
            var (client, _) = await LineSocket.ConnectClientAsync(node.ClientEndpoint);
            await using var _ = client;
            var bytes = line == "TO:1:\u00ff" ? [.. "TO:1:"u8, 0xFF, .. "\nQUIT\n"u8] : Encoding.UTF8.GetBytes(line + "\nQUIT\n");

            await client.SendAsync(bytes);

            Assert.StartsWith(reply, await client.ReadLineAsync());
            Assert.Null(await client.TryReadLineAsync());
        }

        // The node closed every socket: none waits in CLOSE-WAIT, its descriptors are back to where they were.
        await Eventually.TrueAsync("the node's sockets are closed", () =>
            ProcFs.CloseWaitSockets(node.ClientEndpoint.Port) == 0 && ProcFs.OpenFiles(pid) <= filesBefore + 10);
    }

    [Fact]
    public async Task Pauses_a_client_that_floods_without_reading_its_replies_and_keeps_serving_others()
    {
        await using var node = await NodeProcess.StartAsync();
        var pid = node.Process.Id;
        var (bystander, _) = await LineSocket.ConnectClientAsync(node.ClientEndpoint);
        var (flooder, _) = await LineSocket.ConnectClientAsync(node.ClientEndpoint);
        await using var _b = bystander;
        await using var _f = flooder;
        var rssBefore = ProcFs.ResidentBytes(pid);

        // 18 MiB of "x\n": each line is an error reply, 30 times its size, that the flooder never reads.
        var chunk = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("x\n", 32 * 1024)));
        var sent = 0L;
        while (sent < 18 * MiB)
        {
            using var stalled = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                sent += await flooder.Socket.SendAsync(chunk, SocketFlags.None, stalled.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        Assert.True(sent < 18 * MiB, "the node kept reading from a client that reads none of its replies");
        var grown = ProcFs.ResidentBytes(pid) - rssBefore;
        Assert.True(grown < 100 * MiB, $"the node grew by {grown / MiB} MiB");
        await AssertPingsAnsweredAsync(bystander, 20);

        // Paused, not dropped: once it reads, its replies flow and the node reads on.
        Assert.Equal("ERROR:UNKNOWN_COMMAND:expected TO:<id>:<message>, PING or QUIT", await flooder.ReadLineAsync());
    }

    [Fact]
    public async Task Keeps_memory_bounded_and_others_served_while_50_clients_flood_one_that_does_not_read()
    {
        await using var node = await NodeProcess.StartAsync();
        var pid = node.Process.Id;
        var (bystander, _) = await LineSocket.ConnectClientAsync(node.ClientEndpoint);
        var (target, targetId) = await LineSocket.ConnectClientAsync(node.ClientEndpoint);
        await using var _b = bystander;
        await using var _t = target;
        var senders = new List<LineSocket>();
        for (var i = 0; i < 50; i++)
            senders.Add((await LineSocket.ConnectClientAsync(node.ClientEndpoint)).Socket);
        var rssBefore = ProcFs.ResidentBytes(pid);
        var peak = rssBefore;

        // Each sender writes 64-byte lines for 5 s and reads whatever comes back.
        var line = Encoding.ASCII.GetBytes($"TO:{targetId}:{new string('m', 64 - 6 - targetId.ToString().Length)}\n");
        var batch = Enumerable.Repeat(line, 128).SelectMany(l => l).ToArray();
        using var flood = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var refused = 0L;
        var floods = senders.Select(async sender =>
        {
            var reading = DrainAsync(sender, flood.Token, count => Interlocked.Add(ref refused, count));
            try
            {
                while (!flood.IsCancellationRequested)
                    await sender.Socket.SendAsync(batch, SocketFlags.None, flood.Token);
            }
            catch (OperationCanceledException)
            {
            }

            await reading;
        }).ToList();

        // The bystander pings from a thread of its own, so that the test's own busy thread pool
        // does not count as the node's delay.
        var pings = new List<TimeSpan>();
        var pinger = new Thread(() =>
        {
            var socket = bystander.Socket;
            var reply = new byte[16];
            while (!flood.IsCancellationRequested)
            {
                var started = Stopwatch.GetTimestamp();
                socket.Send("PING\n"u8);
                var read = 0;
                while (read < 5)
                    read += socket.Receive(reply, read, reply.Length - read, SocketFlags.None);
                pings.Add(Stopwatch.GetElapsedTime(started));
                Thread.Sleep(10);
            }
        });
        pinger.Start();
        while (!flood.IsCancellationRequested)
        {
            peak = Math.Max(peak, ProcFs.ResidentBytes(pid));
            await Task.Delay(50);
        }

        await Task.WhenAll(floods);
        pinger.Join();
        pings.Sort();
        var (median, slowest) = (pings[pings.Count / 2], pings[^1]);
        var (newcomer, _) = await LineSocket.ConnectClientAsync(node.ClientEndpoint);
        await using var _n = newcomer;

        Assert.True(peak - rssBefore < 200 * MiB, $"the node grew by {(peak - rssBefore) / MiB} MiB");
        Assert.True(slowest < TimeSpan.FromSeconds(1), $"a bystander's PING took up to {slowest.TotalMilliseconds:F0} ms (median {median.TotalMilliseconds:F1} ms, {pings.Count} pings)");
        Assert.True(await target.WaitForCloseAsync(), "the client that does not read was not disconnected");
        Assert.True(refused > 0, "no sender was told its target is gone");
        foreach (var sender in senders)
            await sender.DisposeAsync();
    }

    private static async Task AssertPingsAnsweredAsync(LineSocket client, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await client.SendAsync("PING\n");
            Assert.Equal("PONG", await client.ReadLineAsync());
            var waited = Stopwatch.GetElapsedTime(started);
            Assert.True(waited < TimeSpan.FromSeconds(1), $"a bystander's PING took {waited.TotalMilliseconds:F0} ms");
        }
    }

    /// <summary>Reads lines until <paramref name="stop"/> and a bounded quiet after it; reports UNKNOWN_TARGET replies.</summary>
    private static async Task DrainAsync(LineSocket socket, CancellationToken stop, Action<long> refused)
    {
        while (true)
        {
            string? line;
            try
            {
                line = await socket.TryReadLineAsync(stop.IsCancellationRequested ? TimeSpan.FromMilliseconds(500) : TimeSpan.FromSeconds(10));
            }
            catch (TimeoutException)
            {
                return;
            }

            if (line is null)
                return;
            if (line.StartsWith("ERROR:UNKNOWN_TARGET:", StringComparison.Ordinal))
                refused(1);
        }
    }
}
