using Relay.Testing;

namespace Relay.Client.Tests;

/// <summary>One real Relay.Host process shared by a test class.</summary>
public sealed class NodeFixture : IAsyncLifetime
{
    public NodeProcess Node { get; private set; } = null!;

    public string Host => Node.ClientEndpoint.Address.ToString();

    public int Port => Node.ClientEndpoint.Port;

    public async Task InitializeAsync() => Node = await NodeProcess.StartAsync();

    public async Task DisposeAsync() => await Node.DisposeAsync();
}
