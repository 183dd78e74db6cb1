using System.Diagnostics;
using Relay.Testing;

namespace Relay.Actors.Tests.TcpTransport;

/// <summary>A node whose clients may each send 200 lines and 20 KiB per second (a burst of one second).</summary>
public sealed class RateLimitTests : IAsyncLifetime
{
    private RelayNode _node = null!;

    public async Task InitializeAsync() => _node = await TestNode.StartAsync("""
        relay.connection.rate-limit.lines-per-second = 200
        relay.connection.rate-limit.bytes-per-second = 20 KiB
        relay.connection.rate-limit.burst = 1s
        """);

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task A_client_over_its_line_rate_is_paused_and_nothing_it_sent_is_lost_or_refused()
    {
        var (sender, _) = await LineSocket.ConnectClientAsync(_node.ClientEndpoint);
        await using var _s = sender;
        var (receiver, receiverId) = await LineSocket.ConnectClientAsync(_node.ClientEndpoint);
        await using var _r = receiver;
        var clock = Stopwatch.StartNew();

        await sender.SendAsync(string.Concat(Enumerable.Range(0, 600).Select(i => $"TO:{receiverId}:{i}\n")) + "PING\n");

        for (var i = 0; i < 600; i++)
            Assert.EndsWith($":{i}", await receiver.ReadLineAsync());
        Assert.Equal("PONG", await sender.ReadLineAsync());
        // 200 lines of burst, then 200 a second: the last of 601 lines cannot be read before ~2 s.
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1.5), $"601 lines read in {clock.Elapsed}");
    }

    [Fact]
    public async Task A_line_longer_than_the_byte_burst_is_read_at_the_byte_rate_and_relayed_whole()
    {
        var (sender, _) = await LineSocket.ConnectClientAsync(_node.ClientEndpoint);
        await using var _s = sender;
        var (receiver, receiverId) = await LineSocket.ConnectClientAsync(_node.ClientEndpoint);
        await using var _r = receiver;
        var text = new string('x', 50 * 1024);
        var clock = Stopwatch.StartNew();

        await sender.SendAsync($"TO:{receiverId}:{text}\nPING\n");

        Assert.EndsWith(text, await receiver.ReadLineAsync());
        Assert.Equal("PONG", await sender.ReadLineAsync());
        // 50 KiB against a 20 KiB burst at 20 KiB/s: the PING waits ~1.5 s behind the line.
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1), $"PONG after {clock.Elapsed}");
    }

    [Fact]
    public async Task A_line_too_long_to_relay_counts_against_the_byte_rate_as_it_streams_in()
    {
        await using var node = await TestNode.StartAsync("""
            relay.connection.rate-limit.bytes-per-second = 1 MiB
            relay.connection.rate-limit.burst = 1s
            """);
        var (sender, _) = await LineSocket.ConnectClientAsync(node.ClientEndpoint);
        await using var _s = sender;
        await sender.SendAsync("PING\n");
        Assert.Equal("PONG", await sender.ReadLineAsync());
        var clock = Stopwatch.StartNew();

        // Skipped, never relayed, but read all the same: 3 MiB against a 1 MiB burst at 1 MiB/s.
        var sending = Task.Run(async () => await sender.SendAsync(new string('x', 3 * 1024 * 1024) + "\nPING\n"));

        Assert.StartsWith("ERROR:TOO_LONG:", await sender.ReadLineAsync(), StringComparison.Ordinal);
        Assert.Equal("PONG", await sender.ReadLineAsync());
        await sending;
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1.5), $"3 MiB read in {clock.Elapsed}");
    }

    [Fact]
    public async Task Other_clients_are_served_while_one_is_paused()
    {
        var (flooder, _) = await LineSocket.ConnectClientAsync(_node.ClientEndpoint);
        await using var _f = flooder;
        var (bystander, _) = await LineSocket.ConnectClientAsync(_node.ClientEndpoint);
        await using var _b = bystander;

        // Ten seconds' worth of lines to nobody: the flooder is paused for most of them.
        await flooder.SendAsync(string.Concat(Enumerable.Repeat("TO:999999:x\n", 2000)));
        await bystander.SendAsync("PING\n");

        Assert.Equal("PONG", await bystander.ReadLineAsync(TimeSpan.FromSeconds(2)));
    }
}
