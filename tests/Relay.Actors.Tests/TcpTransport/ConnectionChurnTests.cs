using System.Diagnostics;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Cluster.Sharding;
using Relay.Testing;
using Xunit.Abstractions;

namespace Relay.Actors.Tests.TcpTransport;

/// <summary>
/// Clients that come and go by the ten thousand, against one in-process node: afterwards the node
/// holds what it held before. In-process so that its actors, registry records and local clients can
/// be counted; alone in its collection so that the process's descriptors, threads and memory are
/// the node's and this test's only.
/// </summary>
[Collection(nameof(ConnectionChurnTests))]
[CollectionDefinition(nameof(ConnectionChurnTests), DisableParallelization = true)]
public sealed class ConnectionChurnTests(ITestOutputHelper output)
{
    private const long MiB = 1024 * 1024;
    private const int Workers = 8;

    // The bystanders' block, and the pool's current and spare blocks.
    private const int BlocksInUse = 3;

    [Fact]
    public async Task Leaves_no_actor_record_id_lease_shard_descriptor_or_memory_behind_after_10000_connects_and_disconnects()
    {
        // Empty registry entities stop after a second instead of a minute, used-up id blocks are
        // given back (and their shards handed off) within seconds instead of half a minute, so the
        // test can see them go. 10,000 clients use 100 blocks.
        await using var node = await TestNode.StartAsync("""
            relay.cluster.empty-registry-idle = 1s
            relay.cluster.id-release-interval = 1s
            relay.connection.register-timeout = 3s
            akka.cluster.sharding.rebalance-interval = 1s
            """);
        var (a, aId) = await LineSocket.ConnectClientAsync(node.ClientEndpoint);
        var (b, bId) = await LineSocket.ConnectClientAsync(node.ClientEndpoint);
        await using var _a = a;
        await using var _b = b;
        // A first round warms up what grows once and stays (JIT, buffer pools, the thread pool).
        await ChurnAsync(node, 800, TimeSpan.FromSeconds(30));
        await SettledAsync(node, aId, bId);
        var before = await CountAsync(node);

        var clock = Stopwatch.StartNew();
        var ids = await ChurnAsync(node, 10_000, TimeSpan.FromSeconds(60));
        var churned = clock.Elapsed;
        await SettledAsync(node, aId, bId);
        var after = await CountAsync(node);
        output.WriteLine($"10,000 connects and disconnects in {churned.TotalSeconds:F1} s, {Workers} at a time");
        output.WriteLine($"before: {before}");
        output.WriteLine($"after:  {after}");

        // Every client got its own id, in increasing order, and the next one is newer still.
        var all = ids.SelectMany(worker => worker).ToList();
        Assert.Equal(all.Count, all.Distinct().Count());
        Assert.All(ids, worker => Assert.Equal(worker.Order(), worker));
        var (newcomer, newcomerId) = await LineSocket.ConnectClientAsync(node.ClientEndpoint);
        await using var _n = newcomer;
        Assert.True(newcomerId > all.Max(), $"id {newcomerId} after ids up to {all.Max()}");

        Assert.Equal(before.Connections, after.Connections);
        Assert.Equal(before.TcpActors, after.TcpActors);
        Assert.Equal(before.LocalClients, after.LocalClients);
        Assert.Equal(before.Online, after.Online);
        Assert.Equal(before.RegistryEntities, after.RegistryEntities);
        Assert.InRange(after.Shards, 1, BlocksInUse);
        Assert.InRange(after.Leases, 1, BlocksInUse);
        Assert.True(after.Sockets <= before.Sockets, $"sockets: {before.Sockets} before, {after.Sockets} after");
        Assert.True(after.Threads <= before.Threads + 8, $"threads: {before.Threads} before, {after.Threads} after");
        Assert.True(after.ManagedBytes - before.ManagedBytes < 4 * MiB, $"managed heap grew by {(after.ManagedBytes - before.ManagedBytes) / (double)MiB:F1} MiB");
        Assert.True(after.ResidentBytes - before.ResidentBytes < 64 * MiB, $"RSS grew by {(after.ResidentBytes - before.ResidentBytes) / (double)MiB:F1} MiB");
        await a.SendAsync($"TO:{bId}:still here\nTO:{all[0]}:gone\nTO:{all[^1]}:gone\n");
        Assert.Equal($"FROM:{aId}:still here", await b.ReadLineAsync());
        // A given-back block's ids are unknown for good.
        Assert.Equal($"ERROR:UNKNOWN_TARGET:no client {all[0]}", await a.ReadLineAsync());
        Assert.Equal($"ERROR:UNKNOWN_TARGET:no client {all[^1]}", await a.ReadLineAsync());
    }

    /// <summary>
    /// Connects and disconnects <paramref name="cycles"/> clients, <see cref="Workers"/> at a time, each
    /// leaving in one of four ways; returns each worker's ids in the order it got them.
    /// </summary>
    private static async Task<long[][]> ChurnAsync(RelayNode node, int cycles, TimeSpan within)
    {
        using var deadline = new CancellationTokenSource(within);
        var workers = Enumerable.Range(0, Workers).Select(worker => Task.Run(async () =>
        {
            var ids = new long[cycles / Workers];
            for (var i = 0; i < ids.Length; i++)
            {
                deadline.Token.ThrowIfCancellationRequested();
                var (client, id) = await LineSocket.ConnectClientAsync(node.ClientEndpoint);
                ids[i] = id;
                switch (i % 4)
                {
                    case 0:
                        await client.SendAsync("QUIT\n");
                        Assert.Null(await client.TryReadLineAsync());
                        break;
                    case 1:
                        // Closed without a word (FIN).
                        break;
                    case 2:
                        client.Socket.LingerState = new LingerOption(true, 0);
                        break;
                    case 3:
                        await client.SendAsync($"PING\nTO:{id}:cut off in the mid");
                        Assert.Equal("PONG", await client.ReadLineAsync());
                        client.Socket.LingerState = new LingerOption(true, 0);
                        break;
                }

                await client.DisposeAsync();
            }

            return ids;
        }, deadline.Token));
        return await Task.WhenAll(workers);
    }

    /// <summary>
    /// Waits until only the two bystanders are left: in the presence view, in the registry once
    /// empty entities stop, and in the lease table and shards once used-up blocks are given back.
    /// </summary>
    private static async Task SettledAsync(RelayNode node, long aId, long bId)
    {
        await Eventually.TrueAsync("the departed clients are gone from the node's clients and presence", () =>
            node.Services.Local.All.Count() == 2 && node.Services.Presence.Who(0, 500).Ids.SequenceEqual([aId, bId]));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (await CountAsync(node) is { RegistryEntities: > 1 } or { Connections: > 2 } or { Shards: > BlocksInUse } or { Leases: > BlocksInUse })
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"not settled within 15 s: {await CountAsync(node)}");
            await Task.Delay(100);
        }
    }

    private static async Task<Counts> CountAsync(RelayNode node)
    {
        var listener = (ActorRefWithCell)await node.System.ActorSelection("/user/listener").ResolveOne(TimeSpan.FromSeconds(3));
        var tcp = (ActorRefWithCell)await node.System.ActorSelection("/system/IO-TCP").ResolveOne(TimeSpan.FromSeconds(3));
        var region = await node.Services.Registry.Ask<CurrentShardRegionState>(GetShardRegionState.Instance, TimeSpan.FromSeconds(3));
        var pid = Environment.ProcessId;
        return new Counts(
            listener.Children.Count(),
            Descendants(tcp),
            node.Services.Local.All.Count(),
            node.Services.Presence.Who(0, 500).Total,
            region.Shards.Sum(shard => shard.EntityIds.Count),
            region.Shards.Count,
            node.Services.Routes.LeasedBlocks,
            ProcFs.OpenFiles(pid),
            ProcFs.OpenSockets(pid),
            ProcFs.Threads(pid),
            GC.GetTotalMemory(forceFullCollection: true),
            ProcFs.ResidentBytes(pid));
    }

    private static int Descendants(ActorRefWithCell actor) =>
        actor.Children.Sum(child => 1 + (child is ActorRefWithCell parent ? Descendants(parent) : 0));

    /// <param name="Connections">Connection actors (the listener's children).</param>
    /// <param name="TcpActors">Akka.IO's actors: its listener and one per open socket.</param>
    /// <param name="LocalClients">Clients the node delivers to directly.</param>
    /// <param name="Online">Clients the presence view lists (WHO).</param>
    /// <param name="RegistryEntities">Registry entities alive (one per id block with clients, until an empty one stops).</param>
    /// <param name="Shards">Shards of the registry (one per id block in use).</param>
    /// <param name="Leases">Id blocks in the lease table.</param>
    private sealed record Counts(
        int Connections, int TcpActors, int LocalClients, long Online, int RegistryEntities, int Shards, int Leases,
        int Files, int Sockets, int Threads, long ManagedBytes, long ResidentBytes)
    {
        public override string ToString() =>
            $"connection actors {Connections}, Akka.IO actors {TcpActors}, local clients {LocalClients}, online {Online}, " +
            $"registry entities {RegistryEntities} in {Shards} shards, {Leases} id leases, descriptors {Files} ({Sockets} sockets), threads {Threads}, " +
            $"managed heap {ManagedBytes / (double)MiB:F1} MiB, RSS {ResidentBytes / (double)MiB:F1} MiB";
    }
}
