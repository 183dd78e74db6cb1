using Relay.Testing;

namespace Relay.Host.Tests;

/// <summary>A 3-node cluster of real processes, shared by the tests that do not break it.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public TestCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() => Cluster = await TestCluster.StartAsync(3, "--udp-port", "0");

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}
