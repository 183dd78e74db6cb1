using Relay.Protocol;
using Relay.Testing;

namespace Relay.Client.Tests;

/// <summary>
/// Over TCP a node closes a connection that sends no command soon enough after connecting; a
/// <see cref="RelayClient"/> that only listens keeps its connection with a PING. A real node whose
/// idle timeout is 1 s instead of 10 minutes.
/// </summary>
public sealed class TcpKeepAliveTests(TcpKeepAliveTests.ShortIdleNode node) : IClassFixture<TcpKeepAliveTests.ShortIdleNode>
{
    [Fact]
    public async Task A_client_that_only_listens_keeps_its_connection_and_shows_only_the_users_own_pongs()
    {
        await using var listener = await node.ConnectAsync(TimeSpan.FromMilliseconds(300));
        var (silent, _) = await LineSocket.ConnectClientAsync(node.Node.ClientEndpoint);
        await using var _s = silent;

        // Connected after the listener and closed for its silence: the listener has been quiet longer.
        Assert.StartsWith("ERROR:IDLE_TIMEOUT:", await silent.ReadLineAsync(), StringComparison.Ordinal);

        await using var talker = await node.ConnectAsync(Timeout.InfiniteTimeSpan);
        await talker.SendAsync(listener.Id, "still there?");
        Assert.Equal(new MessageReceived(talker.Id, "still there?"), await listener.NextEventAsync());
        await listener.PingAsync();
        Assert.Same(PongReceived.Instance, await listener.NextEventAsync());
    }

    [Fact]
    public async Task A_client_without_keepalive_that_never_speaks_is_told_IDLE_TIMEOUT_and_its_stream_ends()
    {
        await using var listener = await node.ConnectAsync(Timeout.InfiniteTimeSpan);

        var error = await listener.NextAsync<ErrorReceived>();

        Assert.Equal(ErrorCode.IdleTimeout, error.Known);
        await listener.Completion.WaitAsync(EventWaits.Wait);
    }

    /// <summary>A real node with a 1 s idle timeout.</summary>
    public sealed class ShortIdleNode : IAsyncLifetime
    {
        private readonly string _config = Path.GetTempFileName();

        public NodeProcess Node { get; private set; } = null!;

        public Task<RelayClient> ConnectAsync(TimeSpan keepAlive) =>
            RelayClient.ConnectAsync("127.0.0.1", Node.ClientEndpoint.Port, RelayClientOptions.Default with { TcpKeepAliveInterval = keepAlive });

        public async Task InitializeAsync()
        {
            await File.WriteAllTextAsync(_config, "relay.connection.idle-timeout = 1s\n");
            Node = await NodeProcess.StartAsync("--config", _config);
        }

        public async Task DisposeAsync()
        {
            await Node.DisposeAsync();
            File.Delete(_config);
        }
    }
}
