using Relay.Testing;

namespace Relay.Host.Tests;

/// <summary>What every hostile case checks afterwards: the node is up, failed nowhere, and others still talk.</summary>
public sealed partial class HostileClientTests
{
    /// <summary>Connects two ordinary clients, before the hostile one starts.</summary>
    private static async Task<Bystanders> ConnectBystandersAsync(NodeProcess node)
    {
        var (a, aId) = await LineSocket.ConnectClientAsync(node.ClientEndpoint);
        var (b, bId) = await LineSocket.ConnectClientAsync(node.ClientEndpoint);
        return new Bystanders(node, a, aId, b, bId);
    }

    /// <summary>Two clients connected while a third misbehaves.</summary>
    private sealed record Bystanders(NodeProcess Node, LineSocket A, long AId, LineSocket B, long BId) : IAsyncDisposable
    {
        /// <summary>
        /// The node is still running, logged no error (an actor that threw would have), and both
        /// bystanders still reach each other.
        /// </summary>
        public async Task AssertUnaffectedAsync()
        {
            await A.SendAsync($"TO:{BId}:still here, B?\n");
            Assert.Equal($"FROM:{AId}:still here, B?", await B.ReadLineAsync());
            await B.SendAsync($"TO:{AId}:yes, A\n");
            Assert.Equal($"FROM:{BId}:yes, A", await A.ReadLineAsync());

            Assert.False(Node.Process.HasExited, "the node exited:\n" + Node.Process.Transcript);
            Assert.DoesNotContain(Node.Process.Transcript.Split('\n'), line => line.Contains("[ERROR]", StringComparison.Ordinal));
        }

        public async ValueTask DisposeAsync()
        {
            await A.DisposeAsync();
            await B.DisposeAsync();
        }
    }
}
