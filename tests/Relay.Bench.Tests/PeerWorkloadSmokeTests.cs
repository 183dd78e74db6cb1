namespace Relay.Bench.Tests;

/// <summary>
/// The workloads, with tiny counts, against real Redis and NATS servers through the peer wires: the
/// same workload code loads them as loads RelayChat, and everything arrives, in order. Speed is
/// not asserted (that is bench/run.sh --peers's job).
/// </summary>
public sealed class PeerWorkloadSmokeTests
{
    [PeersFact]
    public async Task Every_workload_runs_against_Redis_pub_sub()
    {
        await using var redis = await PeerServer.StartRedisAsync();

        await RunEveryWorkloadAsync(Options(BenchServer.Redis, redis), redis.Pid);
    }

    [PeersFact]
    public async Task Every_workload_runs_against_NATS()
    {
        var servers = await PeerServer.StartNatsAsync(1);
        await using var nats = servers[0];

        await RunEveryWorkloadAsync(Options(BenchServer.Nats, nats), nats.Pid);
    }

    [PeersFact]
    public async Task Clients_spread_over_a_NATS_cluster_reach_each_other()
    {
        // Pairs and receivers span the three servers: a subscription must be known on every one
        // before the first publish, or messages are dropped (and counted lost here).
        var servers = await PeerServer.StartNatsAsync(3);
        try
        {
            var options = new BenchOptions(servers.Select(s => s.Endpoint).ToArray(), TimeSpan.FromSeconds(60), Progress: false, Server: BenchServer.Nats);

            var throughput = await new ThroughputWorkload(options, clients: 6, messages: 300, payloadBytes: 64, window: 16).RunAsync();
            Assert.True(throughput.Completed);
            Assert.Equal(0L, throughput["lost"]);
            Assert.Equal(0L, throughput["out of order"]);

            var fanout = await new FanoutWorkload(options, receivers: 6, messages: 200, payloadBytes: 64, window: 32, broadcast: false).RunAsync();
            Assert.True(fanout.Completed);
            Assert.Equal(1200L, fanout["delivered"]);
            Assert.Equal(0L, fanout["out of order"]);
        }
        finally
        {
            foreach (var server in servers)
                await server.DisposeAsync();
        }
    }

    private static BenchOptions Options(BenchServer server, PeerServer peer) =>
        new([peer.Endpoint], TimeSpan.FromSeconds(60), Progress: false, Server: server);

    private static async Task RunEveryWorkloadAsync(BenchOptions options, int pid)
    {
        var throughput = await new ThroughputWorkload(options, clients: 4, messages: 500, payloadBytes: 64, window: 16).RunAsync();
        Assert.True(throughput.Completed);
        Assert.Equal(options.ServerName, throughput["server"]);
        Assert.Equal(2000L, throughput["delivered"]);
        Assert.Equal(0L, throughput["lost"]);
        Assert.Equal(0L, throughput["out of order"]);
        Assert.Equal(0L, throughput["errors"]);

        var latency = await new LatencyWorkload(options, clients: 2, rate: 200, TimeSpan.FromSeconds(0.5), payloadBytes: 64).RunAsync();
        Assert.True(latency.Completed);
        Assert.Equal(100L, latency["sent"]);
        Assert.Equal(0L, latency["lost"]);
        Assert.True((double)latency["p99 us"]! >= (double)latency["p50 us"]!);

        var conns = await new ConnectionsWorkload(options, count: 50, concurrency: 10, nodePid: pid).RunAsync();
        Assert.True(conns.Completed);
        Assert.Equal(50, conns["connections"]);
        Assert.NotNull(conns["bytes per connection"]);

        var fanout = await new FanoutWorkload(options, receivers: 5, messages: 300, payloadBytes: 64, window: 32, broadcast: false).RunAsync();
        Assert.True(fanout.Completed);
        Assert.Equal(1500L, fanout["delivered"]);
        Assert.Equal(0L, fanout["out of order"]);
        Assert.Equal(0L, fanout["errors"]);
    }
}
