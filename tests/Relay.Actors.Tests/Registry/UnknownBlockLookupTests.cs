using System.Text;
using Relay.Testing;

namespace Relay.Actors.Tests.Registry;

/// <summary>Lines to ids in blocks nobody leased: answered without a majority read per line.</summary>
public sealed class UnknownBlockLookupTests : IAsyncLifetime
{
    private RelayNode _node = null!;

    public async Task InitializeAsync() => _node = await TestNode.StartAsync();

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task Lines_to_many_unleased_blocks_are_answered_from_one_read_per_read_of_input()
    {
        const int lines = 2000;
        var (client, _) = await LineSocket.ConnectClientAsync(_node.ClientEndpoint);
        await using var _ = client;
        var readsBefore = _node.Services.Routes.MajorityReads;
        // Each line to an id of its own block, far beyond any block leased.
        var text = new StringBuilder();
        for (var i = 0; i < lines; i++)
            text.Append($"TO:{5_000_000 + i * 100}:x\n");

        await client.SendAsync(text + "PING\n");

        var answered = new HashSet<string>();
        for (var line = await client.ReadLineAsync(); line != "PONG"; line = await client.ReadLineAsync())
            answered.Add(line);
        Assert.Equal(Enumerable.Range(0, lines).Select(i => $"ERROR:UNKNOWN_TARGET:no client {5_000_000 + i * 100}").ToHashSet(), answered);
        // The lines come in reads of at most 8 KiB (akka.io.tcp.receive-buffer-size): ~40 KiB is a
        // handful of reads, each answered from one majority read; before, one read per line.
        Assert.InRange(_node.Services.Routes.MajorityReads - readsBefore, 1, 20);
    }

    [Fact]
    public async Task Lookups_from_many_clients_at_once_are_each_answered_after_a_read_that_began_after_them()
    {
        const int clients = 50;
        var sockets = new List<LineSocket>();
        for (var i = 0; i < clients; i++)
            sockets.Add((await LineSocket.ConnectClientAsync(_node.ClientEndpoint)).Socket);
        try
        {
            await Task.WhenAll(sockets.Select((socket, i) => socket.SendAsync($"TO:{7_000_000 + i * 100}:x\nPING\n")));

            foreach (var (socket, i) in sockets.Select((socket, i) => (socket, i)))
            {
                Assert.Equal($"ERROR:UNKNOWN_TARGET:no client {7_000_000 + i * 100}", await socket.ReadLineAsync());
                Assert.Equal("PONG", await socket.ReadLineAsync());
            }
        }
        finally
        {
            foreach (var socket in sockets)
                await socket.DisposeAsync();
        }
    }
}
