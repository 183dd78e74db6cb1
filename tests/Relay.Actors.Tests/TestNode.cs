using Relay.Actors;

namespace Relay.Actors.Tests;

/// <summary>Starts an in-process node on a free loopback port, wired exactly as Relay.Host wires it.</summary>
internal static class TestNode
{
    public static async Task<RelayNode> StartAsync(string? hocon = null)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        return await RelayNode.StartAsync(RelayNode.LoadConfig(overrides: $"""
            relay.client-endpoint.host = "127.0.0.1"
            relay.client-endpoint.port = 0
            akka.remote.dot-netty.tcp.port = 0
            akka.loglevel = WARNING
            {hocon}
            """), timeout.Token);
    }
}
