using Relay.Testing;

namespace Relay.Actors.Tests.Cluster;

/// <summary>Two nodes in one process, joined as a cluster: the cheap way to prove cross-node routing.</summary>
public sealed class TwoNodeRelayTests : IAsyncLifetime
{
    private RelayNode _first = null!;
    private RelayNode _second = null!;

    public async Task InitializeAsync()
    {
        _first = await TestNode.StartAsync();
        _second = await TestNode.StartAsync($"akka.cluster.seed-nodes = [\"{_first.ClusterAddress}\"]");
    }

    public async Task DisposeAsync()
    {
        await _second.DisposeAsync();
        await _first.DisposeAsync();
    }

    [Fact]
    public async Task Relays_message_to_target_on_another_node_and_back()
    {
        var (a, aId) = await LineSocket.ConnectClientAsync(_first.ClientEndpoint);
        var (b, bId) = await LineSocket.ConnectClientAsync(_second.ClientEndpoint);
        await using var _a = a;
        await using var _b = b;

        Assert.NotEqual(aId, bId);
        await a.SendAsync($"TO:{bId}:across\n");
        Assert.Equal($"FROM:{aId}:across", await b.ReadLineAsync());
        await b.SendAsync($"TO:{aId}:and back\n");
        Assert.Equal($"FROM:{bId}:and back", await a.ReadLineAsync());
    }

    [Fact]
    public async Task Leases_each_node_its_own_block_of_small_ids()
    {
        var (a, aId) = await LineSocket.ConnectClientAsync(_first.ClientEndpoint);
        var (b, bId) = await LineSocket.ConnectClientAsync(_second.ClientEndpoint);
        await using var _a = a;
        await using var _b = b;

        var blockSize = _first.Settings.Cluster.IdBlockSize;
        Assert.NotEqual((aId - 1) / blockSize, (bId - 1) / blockSize);
        Assert.InRange(Math.Max(aId, bId), 1, 4 * blockSize);
    }

    [Fact]
    public async Task Answers_pong_after_errors_from_the_other_nodes_registry()
    {
        var (a, _) = await LineSocket.ConnectClientAsync(_first.ClientEndpoint);
        var (b, bId) = await LineSocket.ConnectClientAsync(_second.ClientEndpoint);
        await using var _a = a;
        await b.DisposeAsync();

        // The id is in the second node's block; its registry there answers, then the barrier.
        await Eventually.UnknownTargetAsync(a, bId);
        await a.SendAsync($"TO:{bId}:gone\nPING\n");
        Assert.Equal($"ERROR:UNKNOWN_TARGET:no client {bId}", await a.ReadLineAsync());
        Assert.Equal("PONG", await a.ReadLineAsync());
    }
}
