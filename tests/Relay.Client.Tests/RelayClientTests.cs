using System.Net;
using System.Net.Sockets;
using Relay.Protocol;

namespace Relay.Client.Tests;

public sealed partial class RelayClientTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Learns_its_id_and_exchanges_messages_both_ways()
    {
        await using var a = await ConnectAsync();
        await using var b = await ConnectAsync();
        Assert.NotEqual(a.Id, b.Id);

        await a.SendAsync(b.Id, "안녕 B야: with a colon");
        await b.SendAsync(a.Id, "hi A");

        Assert.Equal(new MessageReceived(a.Id, "안녕 B야: with a colon"), await b.ReadAsync().AsTask().WaitAsync(Wait));
        Assert.Equal(new MessageReceived(b.Id, "hi A"), await a.ReadAsync().AsTask().WaitAsync(Wait));
    }

    [Fact]
    public async Task Reports_server_errors_as_typed_events_and_pong_after_them()
    {
        await using var a = await ConnectAsync();

        await a.SendAsync(long.MaxValue / 1000, "nobody");
        await a.PingAsync();

        var error = Assert.IsType<ErrorReceived>(await a.ReadAsync().AsTask().WaitAsync(Wait));
        Assert.Equal(ErrorCode.UnknownTarget, error.Known);
        Assert.Equal("UNKNOWN_TARGET", error.Code);
        Assert.Same(PongReceived.Instance, await a.ReadAsync().AsTask().WaitAsync(Wait));
    }

    [Fact]
    public async Task Refuses_to_send_a_message_with_a_line_break()
    {
        await using var a = await ConnectAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => a.SendAsync(1, "two\nlines").AsTask());
    }

    [Fact]
    public async Task Ends_the_event_stream_after_quit()
    {
        await using var a = await ConnectAsync();

        await a.QuitAsync();

        await foreach (var _ in a.ReadAllAsync().WithCancellation(new CancellationTokenSource(Wait).Token))
            Assert.Fail("no event expected after QUIT");
        await a.Completion.WaitAsync(Wait);
    }

    [Fact]
    public async Task Says_in_one_line_when_nothing_listens()
    {
        using var probe = new Socket(SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var closedPort = ((IPEndPoint)probe.LocalEndPoint!).Port;

        var error = await Assert.ThrowsAsync<RelayConnectionException>(() => RelayClient.ConnectAsync("127.0.0.1", closedPort));

        Assert.StartsWith($"cannot connect to 127.0.0.1:{closedPort}: Connection refused", error.Message);
    }

    [Fact]
    public async Task Says_so_when_the_peer_is_not_a_relay()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var accepting = Task.Run(async () =>
        {
            using var peer = await silent.AcceptSocketAsync();
            await peer.SendAsync("HELLO I AM SMTP\n"u8.ToArray());
            peer.Shutdown(SocketShutdown.Both);
        });

        var error = await Assert.ThrowsAsync<RelayConnectionException>(() => RelayClient.ConnectAsync("127.0.0.1", port));

        Assert.Contains("closed the connection before sending YOUR_ID", error.Message);
        await accepting;
    }

    private Task<RelayClient> ConnectAsync() => RelayClient.ConnectAsync(fixture.Host, fixture.Port);
}
