using System.Net;
using System.Net.Sockets;
using System.Text;
using Relay.Testing;

namespace Relay.Client.Tests;

/// <summary>
/// What only UDP asks of <see cref="RelayClient"/>: saying HELLO again when it is lost, giving up with a
/// clear message, keeping a quiet session alive, and saying so when the node has forgotten it. A real
/// node whose idle timeout is 2 s instead of 60, and a stub node that loses datagrams on purpose.
/// </summary>
public sealed class UdpClientTests(UdpClientTests.ShortIdleNode node) : IClassFixture<UdpClientTests.ShortIdleNode>
{
    private static readonly RelayClientOptions Udp = RelayClientOptions.Default with { Transport = RelayTransport.Udp };

    [Theory]
    [InlineData(RelayProtocol.Text)]
    [InlineData(RelayProtocol.Json)]
    public async Task Says_hello_again_when_the_first_ones_are_lost(RelayProtocol protocol)
    {
        using var stub = new StubNode(dropHellos: 2);

        await using var client = await RelayClient.ConnectAsync("127.0.0.1", stub.Port, Udp with
        {
            Protocol = protocol,
            HelloRetryInterval = TimeSpan.FromMilliseconds(200),
        });

        Assert.Equal(StubNode.Id, client.Id);
        var hello = protocol == RelayProtocol.Json ? "{\"op\":\"hello\"}\n" : "HELLO\n";
        Assert.Equal([hello, hello, hello], stub.Received.Take(3));
    }

    [Fact]
    public async Task Gives_up_after_its_hellos_with_a_message_that_says_why()
    {
        using var stub = new StubNode(dropHellos: int.MaxValue);

        var error = await Assert.ThrowsAsync<RelayConnectionException>(() => RelayClient.ConnectAsync("127.0.0.1", stub.Port, Udp with
        {
            HelloAttempts = 3,
            HelloRetryInterval = TimeSpan.FromMilliseconds(200),
        }));

        Assert.Equal(
            $"cannot connect to 127.0.0.1:{stub.Port}: no answer to HELLO over UDP (3 tries, 0.2 s apart); is it the node's UDP port (relay-host --udp-port)?",
            error.Message);
        Assert.Equal(3, stub.Received.Count);
    }

    [Fact]
    public async Task Says_at_once_when_nothing_listens_on_the_port()
    {
        using var probe = new Socket(SocketType.Dgram, ProtocolType.Udp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var closedPort = ((IPEndPoint)probe.LocalEndPoint!).Port;
        probe.Dispose();

        var error = await Assert.ThrowsAsync<RelayConnectionException>(() => RelayClient.ConnectAsync("127.0.0.1", closedPort, Udp));

        Assert.Equal($"cannot connect to 127.0.0.1:{closedPort}: Connection refused", error.Message);
    }

    [Theory]
    [InlineData(RelayProtocol.Text)]
    [InlineData(RelayProtocol.Json)]
    public async Task Keeps_a_quiet_session_alive_and_shows_only_the_users_own_pongs(RelayProtocol protocol)
    {
        await using var quiet = await node.ConnectAsync(protocol, keepAlive: TimeSpan.FromMilliseconds(500));
        await using var text = await node.ConnectAsync(RelayProtocol.Text, transport: RelayTransport.Tcp);

        // Three idle timeouts without a word from the user.
        await Task.Delay(3 * ShortIdleNode.IdleTimeout);

        await text.SendAsync(quiet.Id, "still there?");
        Assert.Equal(new MessageReceived(text.Id, "still there?"), await quiet.NextEventAsync());
        await quiet.PingAsync();
        Assert.Same(PongReceived.Instance, await quiet.NextEventAsync());
    }

    [Theory]
    [InlineData(RelayProtocol.Text)]
    [InlineData(RelayProtocol.Json)]
    public async Task Says_the_session_was_lost_when_the_node_has_forgotten_it_and_ends_the_stream(RelayProtocol protocol)
    {
        await using var forgotten = await node.ConnectAsync(protocol, keepAlive: Timeout.InfiniteTimeSpan);

        await Task.Delay(ShortIdleNode.IdleTimeout * 2);
        await forgotten.PingAsync();

        Assert.Equal(new SessionLost("send HELLO first"), await forgotten.NextEventAsync());
        await forgotten.Completion.WaitAsync(EventWaits.Wait);
        await foreach (var relayEvent in forgotten.ReadAllAsync())
            Assert.Fail($"nothing expected after the session was lost, got {relayEvent}");
    }

    /// <summary>A real node with UDP on and a 2 s idle timeout.</summary>
    public sealed class ShortIdleNode : IAsyncLifetime
    {
        public static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(2);

        private readonly string _config = Path.GetTempFileName();
        private NodeProcess _node = null!;

        public int UdpPort => _node.UdpEndpoint!.Port;

        public async Task<RelayClient> ConnectAsync(RelayProtocol protocol, TimeSpan? keepAlive = null, RelayTransport transport = RelayTransport.Udp) =>
            await RelayClient.ConnectAsync("127.0.0.1", transport == RelayTransport.Udp ? _node.UdpEndpoint!.Port : _node.ClientEndpoint.Port, Udp with
            {
                Protocol = protocol,
                Transport = transport,
                KeepAliveInterval = keepAlive ?? Udp.KeepAliveInterval,
            });

        public async Task InitializeAsync()
        {
            await File.WriteAllTextAsync(_config, $"relay.udp.idle-timeout = {IdleTimeout.TotalSeconds}s\n");
            _node = await NodeProcess.StartAsync("--udp-port", "0", "--config", _config);
        }

        public async Task DisposeAsync()
        {
            await _node.DisposeAsync();
            File.Delete(_config);
        }
    }

    /// <summary>
    /// A stand-in for a node's UDP port: ignores the first <c>dropHellos</c> HELLOs (as if lost), then
    /// greets with id <see cref="Id"/> in the form of the HELLO; records every datagram.
    /// </summary>
    private sealed class StubNode : IDisposable
    {
        public const long Id = 42;

        private readonly Socket _socket = new(SocketType.Dgram, ProtocolType.Udp);
        private readonly CancellationTokenSource _stop = new();
        private readonly List<string> _received = new();

        public StubNode(int dropHellos)
        {
            _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            _ = ServeAsync(dropHellos);
        }

        public int Port => ((IPEndPoint)_socket.LocalEndPoint!).Port;

        public IReadOnlyList<string> Received
        {
            get
            {
                lock (_received)
                    return _received.ToList();
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            _socket.Dispose();
            _stop.Dispose();
        }

        private async Task ServeAsync(int dropHellos)
        {
            var buffer = new byte[65_536];
            try
            {
                while (true)
                {
                    var received = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), _stop.Token);
                    var datagram = Encoding.UTF8.GetString(buffer, 0, received.ReceivedBytes);
                    lock (_received)
                        _received.Add(datagram);
                    if (dropHellos-- > 0)
                        continue;
                    var greeting = datagram.StartsWith('{') ? $"{{\"op\":\"hello\",\"id\":{Id}}}\n" : $"YOUR_ID:{Id}\n";
                    await _socket.SendToAsync(Encoding.UTF8.GetBytes(greeting), SocketFlags.None, received.RemoteEndPoint, _stop.Token);
                }
            }
            catch (Exception error) when (error is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                // Disposed.
            }
        }
    }
}
