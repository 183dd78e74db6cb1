using Relay.Testing;

namespace Relay.Client.Tests;

/// <summary>One real Relay.Host process shared by a test class, with its UDP port open too.</summary>
public sealed class NodeFixture : IAsyncLifetime
{
    public NodeProcess Node { get; private set; } = null!;

    public string Host => Node.ClientEndpoint.Address.ToString();

    public int Port => Node.ClientEndpoint.Port;

    public int UdpPort => Node.UdpEndpoint!.Port;

    /// <summary>The port a client of <paramref name="transport"/> sends to.</summary>
    public int PortFor(RelayTransport transport) => transport == RelayTransport.Udp ? UdpPort : Port;

    /// <summary>A client of the given protocol and transport, connected to this node.</summary>
    public Task<RelayClient> ConnectAsync(RelayProtocol protocol = RelayProtocol.Text, RelayTransport transport = RelayTransport.Tcp) =>
        RelayClient.ConnectAsync(Host, PortFor(transport), RelayClientOptions.Default with { Protocol = protocol, Transport = transport });

    public async Task InitializeAsync() => Node = await NodeProcess.StartAsync("--udp-port", "0");

    public async Task DisposeAsync() => await Node.DisposeAsync();
}
