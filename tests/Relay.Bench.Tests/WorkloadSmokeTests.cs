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

    public async Task InitializeAsync() => _node = await NodeProcess.StartAsync();

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
