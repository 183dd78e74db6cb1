using Relay.Testing;

namespace Relay.Bench.Tests;

/// <summary>
/// Every workload, with tiny counts, against a real node: the load tool keeps working. Speed is
/// not asserted here (that is docs/benchmarks.md's job); completeness is.
/// </summary>
public sealed class WorkloadSmokeTests : IAsyncLifetime
{
    private NodeProcess _node = null!;

    private BenchOptions Options => new([_node.ClientEndpoint], TimeSpan.FromSeconds(60), Progress: false);

    private BenchOptions JsonOptions => Options with { Json = true };

    private BenchOptions UdpOptions(bool json) => new([_node.UdpEndpoint!], TimeSpan.FromSeconds(60), Progress: false, Json: json, Udp: true);

    public async Task InitializeAsync() => _node = await NodeProcess.StartAsync("--udp-port", "0");

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task Throughput_delivers_every_message_in_order()
    {
        var result = await new ThroughputWorkload(Options, clients: 4, messages: 500, payloadBytes: 64, window: 16).RunAsync();

        Assert.True(result.Completed);
        Assert.Equal(2000L, result["delivered"]);
        Assert.Equal(0L, result["lost"]);
        Assert.Equal(0L, result["out of order"]);
        Assert.Contains("\"msgs/s\":", result.ToJson());
    }

    [Fact]
    public async Task Latency_reports_percentiles_for_every_message()
    {
        var result = await new LatencyWorkload(Options, clients: 2, rate: 200, TimeSpan.FromSeconds(0.5), payloadBytes: 64).RunAsync();

        Assert.True(result.Completed);
        Assert.Equal(0L, result["lost"]);
        Assert.True((double)result["p50 us"]! > 0);
        Assert.True((double)result["p99 us"]! >= (double)result["p50 us"]!);
    }

    [Fact]
    public async Task Throughput_over_JSON_delivers_every_message_in_order()
    {
        var result = await new ThroughputWorkload(JsonOptions, clients: 4, messages: 500, payloadBytes: 64, window: 16).RunAsync();

        Assert.True(result.Completed);
        Assert.Equal("json", result["protocol"]);
        Assert.Equal(2000L, result["delivered"]);
        Assert.Equal(0L, result["lost"]);
        Assert.Equal(0L, result["out of order"]);
        Assert.Equal(0L, result["errors"]);
    }

    [Fact]
    public async Task Latency_over_JSON_reports_percentiles_for_every_message()
    {
        var result = await new LatencyWorkload(JsonOptions, clients: 2, rate: 200, TimeSpan.FromSeconds(0.5), payloadBytes: 64).RunAsync();

        Assert.True(result.Completed);
        Assert.Equal(0L, result["lost"]);
        Assert.True((double)result["p50 us"]! > 0);
        Assert.True((double)result["p99 us"]! >= (double)result["p50 us"]!);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Throughput_over_UDP_ends_and_accounts_for_every_message(bool json)
    {
        // UDP may lose datagrams: the run must end on its own and say what arrived, not hang.
        var started = System.Diagnostics.Stopwatch.StartNew();
        var result = await new ThroughputWorkload(UdpOptions(json), clients: 4, messages: 300, payloadBytes: 64, window: 8).RunAsync();

        Assert.True(result.Completed);
        Assert.Equal(json ? "udp-json" : "udp", result["protocol"]);
        Assert.Equal(1200L, result["sent"]);
        Assert.Equal(1200L, (long)result["delivered"]! + (long)result["lost"]!);
        Assert.True((long)result["delivered"]! > 0);
        Assert.Equal(0L, result["out of order"]);
        Assert.Equal(0L, result["errors"]);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(30), $"took {started.Elapsed}");
    }

    [Fact]
    public async Task Latency_over_UDP_reports_percentiles_and_loss()
    {
        var result = await new LatencyWorkload(UdpOptions(json: false), clients: 2, rate: 200, TimeSpan.FromSeconds(0.5), payloadBytes: 64).RunAsync();

        Assert.True(result.Completed);
        Assert.Equal(100L, result["sent"]);
        Assert.InRange((long)result["lost"]!, 0L, 100L);
        Assert.True((double)result["p50 us"]! > 0);
        Assert.True((double)result["p99 us"]! >= (double)result["p50 us"]!);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Fanout_delivers_every_message_to_every_receiver_in_order(bool broadcast)
    {
        var result = await new FanoutWorkload(Options, receivers: 5, messages: 300, payloadBytes: 64, window: 32, broadcast).RunAsync();

        Assert.True(result.Completed);
        Assert.Equal(1500L, result["delivered"]);
        Assert.Equal(0L, result["lost"]);
        Assert.Equal(0L, result["out of order"]);
        Assert.Equal(0L, result["errors"]);
        Assert.True((double)result["p99 us"]! >= (double)result["p50 us"]!);
    }

    [Fact]
    public async Task Connections_reports_rate_and_memory_per_connection()
    {
        var result = await new ConnectionsWorkload(Options, count: 50, concurrency: 10, nodePid: _node.Process.Id).RunAsync();

        Assert.True(result.Completed);
        Assert.Equal(50, result["connections"]);
        Assert.NotNull(result["bytes per connection"]);
    }
}
