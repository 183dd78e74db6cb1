using System.Collections.Immutable;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Relay.Actors.Registry;

namespace Relay.Actors.Tests.Registry;

/// <summary>Shard placement: on the node that leased the block, or nowhere yet; never on a guess.</summary>
public sealed class BlockOwnerAllocationSpec : TestKit
{
    private static readonly Address Self = new("akka.tcp", "relay", "127.0.0.1", 4001);
    private static readonly Address Other = new("akka.tcp", "relay", "127.0.0.1", 4002);

    [Fact]
    public async Task Places_a_block_with_the_region_of_the_node_that_leased_it()
    {
        var table = new RoutingTable(Self);
        table.SetOwners(ImmutableDictionary<long, Address>.Empty.Add(7, Self), nextBlock: 8);
        table.SetMembers([Self]);
        var local = CreateTestProbe().Ref;
        var allocation = new BlockOwnerAllocation(table, CreateTestProbe().Ref, Self, TimeSpan.FromSeconds(1));

        var region = await allocation.AllocateShard(CreateTestProbe().Ref, "7", Regions(local));

        Assert.Equal(local, region);
    }

    [Fact]
    public async Task Fails_rather_than_place_a_block_elsewhere_while_its_owners_region_is_not_registered()
    {
        var table = new RoutingTable(Self);
        table.SetOwners(ImmutableDictionary<long, Address>.Empty.Add(7, Other), nextBlock: 8);
        table.SetMembers([Self, Other]);
        var requester = CreateTestProbe().Ref;
        var allocation = new BlockOwnerAllocation(table, CreateTestProbe().Ref, Self, TimeSpan.FromSeconds(1));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => allocation.AllocateShard(requester, "7", Regions(requester)));

        Assert.Contains("has not joined the coordinator yet", error.Message);
    }

    [Fact]
    public async Task Fails_rather_than_guess_when_no_majority_says_who_leased_a_block()
    {
        var table = new RoutingTable(Self);
        var silentDirectory = CreateTestProbe().Ref;
        var requester = CreateTestProbe().Ref;
        var allocation = new BlockOwnerAllocation(table, silentDirectory, Self, TimeSpan.FromMilliseconds(200));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => allocation.AllocateShard(requester, "9", Regions(requester)));

        Assert.Contains("no majority said", error.Message);
    }

    [Fact]
    public async Task Places_a_block_nobody_leased_with_the_requester()
    {
        var table = new RoutingTable(Self);
        var directory = CreateTestProbe();
        var requester = CreateTestProbe().Ref;
        var allocation = new BlockOwnerAllocation(table, directory.Ref, Self, TimeSpan.FromSeconds(3));

        var placing = allocation.AllocateShard(requester, "9", Regions(requester));
        directory.ExpectMsg<ResolveBlock>();
        directory.Reply(new BlockResolved(9));

        Assert.Equal(requester, await placing);
    }

    [Fact]
    public async Task Places_a_block_of_a_node_that_left_the_cluster_with_the_requester()
    {
        var table = new RoutingTable(Self);
        table.SetOwners(ImmutableDictionary<long, Address>.Empty.Add(7, Other), nextBlock: 8);
        table.SetMembers([Self]);
        var requester = CreateTestProbe().Ref;
        var allocation = new BlockOwnerAllocation(table, CreateTestProbe().Ref, Self, TimeSpan.FromSeconds(1));

        Assert.Equal(requester, await allocation.AllocateShard(requester, "7", Regions(requester)));
    }

    [Fact]
    public async Task Hands_off_the_shards_of_given_back_blocks_and_no_other()
    {
        // Blocks 0-9 were leased; 3, 5 and 6 were given back; 12 and 40 are past the high-water
        // mark (a lease this node may not have seen yet), 7 is being handed off already.
        var table = new RoutingTable(Self);
        table.SetOwners(new[] { 0L, 1, 2, 4, 7, 8, 9 }.ToImmutableDictionary(block => block, _ => Other), nextBlock: 10);
        table.SetMembers([Self, Other]);
        var allocation = new BlockOwnerAllocation(table, CreateTestProbe().Ref, Self, TimeSpan.FromSeconds(1));
        var shards = new Dictionary<IActorRef, IImmutableList<string>>
        {
            [CreateTestProbe().Ref] = ImmutableList.Create("0", "3", "5", "12"),
            [CreateTestProbe().Ref] = ImmutableList.Create("6", "7", "40", "9"),
        }.ToImmutableDictionary();

        var handedOff = await allocation.Rebalance(shards, ImmutableHashSet.Create("7", "5"));

        Assert.Equal(["3", "6"], handedOff.Order());
    }

    private static IImmutableDictionary<IActorRef, IImmutableList<string>> Regions(params IActorRef[] regions) =>
        regions.ToImmutableDictionary(region => region, _ => (IImmutableList<string>)ImmutableList<string>.Empty);
}
