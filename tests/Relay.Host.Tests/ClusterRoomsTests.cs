using System.Globalization;
using Relay.Testing;

namespace Relay.Host.Tests;

/// <summary>Broadcast, rooms, presence and receipts across three real node processes.</summary>
public sealed class ClusterRoomsTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private NodeProcess[] Nodes => fixture.Cluster.Nodes;

    [Fact]
    public async Task Broadcast_reaches_every_other_client_on_every_node_exactly_once()
    {
        var clients = await ConnectAsync(perNode: 2);
        await using var _ = new Disposer(clients);
        var (sender, senderId) = clients[0];

        await sender.SendAsync("ALL:hello, cluster\nPING\n");

        // PONG comes once every node's fan-out actor has handed the broadcast to its clients.
        Assert.Equal("PONG", await sender.ReadLineAsync());
        foreach (var (receiver, _) in clients.Skip(1))
        {
            Assert.Equal($"ALL:{senderId}:hello, cluster", await receiver.ReadLineAsync());
            await receiver.SendAsync("PING\n");
            Assert.Equal("PONG", await receiver.ReadLineAsync());
        }
    }

    [Fact]
    public async Task Room_messages_reach_the_members_on_every_node_and_no_outsider()
    {
        var clients = await ConnectAsync(perNode: 2);
        await using var _ = new Disposer(clients);
        var members = clients.Where((_, i) => i % 2 == 0).ToList();
        var outsiders = clients.Where((_, i) => i % 2 == 1).ToList();
        foreach (var (member, _) in members)
            await AskAsync(member, "JOIN:cluster-room", "OK:JOIN:cluster-room");
        var (sender, senderId) = members[0];

        await sender.SendAsync("ROOM:cluster-room:for members only\nPING\n");

        Assert.Equal("PONG", await sender.ReadLineAsync());
        foreach (var (member, _) in members.Skip(1))
            Assert.Equal($"ROOM:cluster-room:{senderId}:for members only", await member.ReadLineAsync());
        foreach (var (outsider, _) in outsiders)
            await AskAsync(outsider, "PING", "PONG");
    }

    [Fact]
    public async Task Messages_from_one_sender_to_a_room_arrive_in_order_at_every_member_on_every_node()
    {
        var clients = await ConnectAsync(perNode: 1);
        await using var _ = new Disposer(clients);
        foreach (var (member, _) in clients)
            await AskAsync(member, "JOIN:ordered", "OK:JOIN:ordered");
        var (sender, senderId) = clients[0];
        const int count = 2000;

        // Several writes of many lines each, so messages travel in many batches.
        for (var first = 0; first < count; first += 250)
            await sender.SendAsync(string.Concat(Enumerable.Range(first, 250).Select(i => $"ROOM:ordered:{i}\n")));

        foreach (var (member, _) in clients.Skip(1))
        {
            for (var i = 0; i < count; i++)
                Assert.Equal($"ROOM:ordered:{senderId}:{i}", await member.ReadLineAsync());
        }
    }

    [Fact]
    public async Task Who_members_and_rooms_list_the_clients_of_every_node()
    {
        var clients = await ConnectAsync(perNode: 1);
        await using var _ = new Disposer(clients);
        var ids = clients.Select(client => client.Id.ToString(CultureInfo.InvariantCulture)).ToList();
        foreach (var (member, _) in clients)
            await AskAsync(member, "JOIN:listed", "OK:JOIN:listed");
        var asker = clients[0].Socket;

        var who = await Eventually.ReplyAsync(asker, "WHO", "WHO:", line => ids.All(IdsOf(line).Contains));
        var members = await Eventually.ReplyAsync(asker, "MEMBERS:listed", "MEMBERS:listed:", line => IdsOf(line).Count == 3);
        var rooms = await Eventually.ReplyAsync(asker, "ROOMS", "ROOMS:", line => line.Contains("listed=3", StringComparison.Ordinal));

        Assert.Equal(ids.Order(), IdsOf(members).Order());
        Assert.DoesNotContain(":MORE", who, StringComparison.Ordinal);
        Assert.StartsWith("ROOMS:", rooms, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_that_disconnects_leaves_its_rooms_everywhere_and_watchers_on_other_nodes_hear_it()
    {
        var (watcher, _) = await LineSocket.ConnectClientAsync(Nodes[0].ClientEndpoint);
        await using var _w = watcher;
        await AskAsync(watcher, "WATCH:ON", "OK:WATCH:ON");
        await AskAsync(watcher, "JOIN:leaving", "OK:JOIN:leaving");

        var (leaver, leaverId) = await LineSocket.ConnectClientAsync(Nodes[2].ClientEndpoint);
        Assert.Equal($"JOINED:{leaverId}", await watcher.ReadLineAsync());
        await AskAsync(leaver, "JOIN:leaving", "OK:JOIN:leaving");
        await Eventually.ReplyAsync(watcher, "MEMBERS:leaving", "MEMBERS:leaving:", line => line.StartsWith("MEMBERS:leaving:2:", StringComparison.Ordinal));

        await leaver.DisposeAsync();

        Assert.Equal($"LEFT:{leaverId}", await watcher.ReadLineAsync());
        var members = await Eventually.ReplyAsync(watcher, "MEMBERS:leaving", "MEMBERS:leaving:", line => line.StartsWith("MEMBERS:leaving:1:", StringComparison.Ordinal));
        Assert.DoesNotContain(leaverId.ToString(CultureInfo.InvariantCulture), IdsOf(members));
    }

    [Fact]
    public async Task Receipts_come_back_from_another_node_for_delivered_and_undeliverable_messages()
    {
        var (a, _) = await LineSocket.ConnectClientAsync(Nodes[0].ClientEndpoint);
        var (c, cId) = await LineSocket.ConnectClientAsync(Nodes[2].ClientEndpoint);
        await using var _a = a;
        await using var _c = c;
        var (gone, goneId) = await LineSocket.ConnectClientAsync(Nodes[1].ClientEndpoint);
        await gone.SendAsync("QUIT\n");
        Assert.True(await gone.WaitForCloseAsync());
        await gone.DisposeAsync();

        await a.SendAsync($"TOACK:m1:{cId}:across the cluster\n");

        Assert.EndsWith(":across the cluster", await c.ReadLineAsync(), StringComparison.Ordinal);
        Assert.Equal("DELIVERED:m1", await a.ReadLineAsync());
        await Eventually.ReplyAsync(
            a, $"TOACK:m2:{goneId}:too late", "ERROR:NOT_DELIVERED:m2:",
            line => line == $"ERROR:NOT_DELIVERED:m2:UNKNOWN_TARGET:no client {goneId}");
    }

    private async Task<List<(LineSocket Socket, long Id)>> ConnectAsync(int perNode)
    {
        var clients = new List<(LineSocket, long)>();
        foreach (var node in Nodes)
        {
            for (var i = 0; i < perNode; i++)
                clients.Add(await LineSocket.ConnectClientAsync(node.ClientEndpoint));
        }

        return clients;
    }

    private static async Task AskAsync(LineSocket socket, string command, string expected)
    {
        await socket.SendAsync(command + "\n");
        Assert.Equal(expected, await socket.ReadLineAsync());
    }

    /// <summary>The ids of a <c>WHO:</c> or <c>MEMBERS:</c> line.</summary>
    private static List<string> IdsOf(string line)
    {
        var fields = line.Split(':');
        var items = fields[0] == "WHO" ? fields[2] : fields[3];
        return items.Length == 0 ? [] : items.Split(',').ToList();
    }

    private sealed class Disposer(List<(LineSocket Socket, long Id)> clients) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            foreach (var (socket, _) in clients)
                await socket.DisposeAsync();
        }
    }
}
