using Relay.Testing;

namespace Relay.Host.Tests;

/// <summary>A node at its process's open-file limit keeps serving the clients it has.</summary>
public sealed class OpenFileLimitTests
{
    [Fact]
    public async Task Refuses_clients_beyond_its_open_file_limit_with_SERVER_FULL_and_accepts_again_when_some_leave()
    {
        // 512 files, 256 of them kept for the node itself (relay.client-endpoint.reserved-file-descriptors).
        await using var node = await NodeProcess.StartAsync(openFileLimit: 512);
        var clients = new List<(LineSocket Socket, long Id)>();
        var refused = 0;
        try
        {
            for (var i = 0; i < 320; i++)
            {
                var socket = await LineSocket.ConnectAsync(node.ClientEndpoint);
                var first = await socket.ReadLineAsync();
                if (first.StartsWith("YOUR_ID:", StringComparison.Ordinal))
                {
                    clients.Add((socket, long.Parse(first["YOUR_ID:".Length..], System.Globalization.CultureInfo.InvariantCulture)));
                    continue;
                }

                Assert.Equal("ERROR:SERVER_FULL:node is at its limit of 256 clients; try another node or later", first);
                Assert.Null(await socket.TryReadLineAsync());
                await socket.DisposeAsync();
                refused++;
            }

            Assert.Equal((256, 64), (clients.Count, refused));
            Assert.False(node.Process.HasExited, "the node died at its limit");
            // Those it has still talk.
            var (a, aId) = clients[0];
            var (b, bId) = clients[^1];
            await a.SendAsync($"TO:{bId}:still here\n");
            Assert.Equal($"FROM:{aId}:still here", await b.ReadLineAsync());

            // Ten leave: ten newcomers get in, the eleventh does not.
            foreach (var (socket, _) in clients.Take(10))
                await socket.DisposeAsync();
            clients.RemoveRange(0, 10);
            await node.Process.WaitForLineAsync(l => l.Contains("Accepting clients again", StringComparison.Ordinal), what: "the node accepting again");
            for (var i = 0; i < 10; i++)
                clients.Add(await LineSocket.ConnectClientAsync(node.ClientEndpoint));
            var late = await LineSocket.ConnectAsync(node.ClientEndpoint);
            await using var _ = late;
            Assert.StartsWith("ERROR:SERVER_FULL:", await late.ReadLineAsync());

            // One warning per episode of refusals, not one per refused client.
            await node.Process.WaitForLineAsync(l => l.Contains("refusing new clients", StringComparison.Ordinal), what: "the second episode's warning");
            var warnings = node.Process.Transcript.Split('\n').Count(l => l.Contains("refusing new clients", StringComparison.Ordinal));
            Assert.Equal(2, warnings);
        }
        finally
        {
            foreach (var (socket, _) in clients)
                await socket.DisposeAsync();
        }
    }
}
