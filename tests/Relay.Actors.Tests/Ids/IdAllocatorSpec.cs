using Akka.Actor;
using Akka.Cluster;
using Akka.Configuration;
using Akka.TestKit.Xunit2;
using Relay.Actors.Ids;

namespace Relay.Actors.Tests.Ids;

/// <summary>The allocator in a one-node cluster, with the node's own config and serializer.</summary>
public sealed class IdAllocatorSpec : TestKit
{
    private static readonly Config SpecConfig = ConfigurationFactory.ParseString("""
        akka.remote.dot-netty.tcp.port = 0
        akka.actor.serialize-messages = on
        """).WithFallback(RelayNode.DefaultConfig())
        .WithFallback(Akka.DistributedData.DistributedData.DefaultConfig());

    public IdAllocatorSpec()
        : base(SpecConfig)
    {
        var cluster = Akka.Cluster.Cluster.Get(Sys);
        cluster.Join(cluster.SelfAddress);
        AwaitCondition(() => cluster.SelfMember.Status == MemberStatus.Up, TimeSpan.FromSeconds(10));
        Incarnation = cluster.SelfUniqueAddress.Uid;
    }

    private long Incarnation { get; }

    [Fact]
    public void Leases_each_block_once()
    {
        var allocator = Sys.ActorOf(IdAllocator.Props(TimeSpan.FromSeconds(3)));

        var leased = Enumerable.Range(0, 5).Select(_ =>
        {
            allocator.Tell(new LeaseBlock(TestActor, Incarnation));
            return ExpectMsg<BlockLeased>().Block;
        }).ToList();

        Assert.Equal([0L, 1, 2, 3, 4], leased);
    }

    [Fact]
    public void A_new_incarnation_continues_after_the_last_block_leased_by_the_old_one()
    {
        var first = Sys.ActorOf(IdAllocator.Props(TimeSpan.FromSeconds(3)));
        first.Tell(new LeaseBlock(TestActor, Incarnation));
        first.Tell(new LeaseBlock(TestActor, Incarnation));
        ExpectMsg<BlockLeased>();
        Assert.Equal(1, ExpectMsg<BlockLeased>().Block);

        Watch(first);
        Sys.Stop(first);
        ExpectTerminated(first);

        // As after its node crashed: the singleton starts elsewhere and reads the lease table.
        var second = Sys.ActorOf(IdAllocator.Props(TimeSpan.FromSeconds(3)));
        second.Tell(new LeaseBlock(TestActor, Incarnation));
        Assert.Equal(2, ExpectMsg<BlockLeased>().Block);
    }

    [Fact]
    public void Never_leases_a_given_back_block_again_even_after_a_restart()
    {
        var first = Sys.ActorOf(IdAllocator.Props(TimeSpan.FromSeconds(3)));
        foreach (var _ in Enumerable.Range(0, 3))
            first.Tell(new LeaseBlock(TestActor, Incarnation));
        Assert.Equal([0L, 1, 2], Enumerable.Range(0, 3).Select(_ => ExpectMsg<BlockLeased>().Block));

        first.Tell(new ReleaseBlocks(Incarnation, [1, 2]));
        Assert.Equal([1L, 2], ExpectMsg<BlocksReleased>().Blocks);
        AwaitAssert(() => Assert.Equal([0L], Leases().Select(lease => lease.Block)));

        Watch(first);
        Sys.Stop(first);
        ExpectTerminated(first);
        var second = Sys.ActorOf(IdAllocator.Props(TimeSpan.FromSeconds(3)));
        second.Tell(new LeaseBlock(TestActor, Incarnation));
        Assert.Equal(3, ExpectMsg<BlockLeased>().Block);
    }

    [Fact]
    public void Removes_a_lease_only_for_the_incarnation_that_holds_it()
    {
        var allocator = Sys.ActorOf(IdAllocator.Props(TimeSpan.FromSeconds(3)));
        allocator.Tell(new LeaseBlock(TestActor, Incarnation));
        ExpectMsg<BlockLeased>();

        // A dead incarnation at this address (a late message from before a restart) gives it back.
        allocator.Tell(new ReleaseBlocks(Incarnation + 1, [0]));
        ExpectMsg<BlocksReleased>();

        Assert.Equal([(0L, new LeaseOwner(Akka.Cluster.Cluster.Get(Sys).SelfAddress, Incarnation))], Leases());
    }

    [Fact]
    public void Removes_the_leases_of_incarnations_that_are_no_longer_members_when_it_starts()
    {
        var self = Akka.Cluster.Cluster.Get(Sys);
        var gone = new LeaseOwner(Address.Parse("akka.tcp://relay@127.0.0.1:1"), 42);
        var restarted = new LeaseOwner(self.SelfAddress, Incarnation + 1);
        var replicator = Akka.DistributedData.DistributedData.Get(Sys).Replicator;
        replicator.Tell(Akka.DistributedData.Dsl.Update(
            LeaseTable.Key, Akka.DistributedData.LWWDictionary<string, string>.Empty, Akka.DistributedData.WriteLocal.Instance,
            table => LeaseTable.WithLease(LeaseTable.WithLease(table, self, 0, gone), self, 1, restarted)));
        ExpectMsg<Akka.DistributedData.UpdateSuccess>();

        var allocator = Sys.ActorOf(IdAllocator.Props(TimeSpan.FromSeconds(3)));
        allocator.Tell(new LeaseBlock(TestActor, Incarnation));

        Assert.Equal(2, ExpectMsg<BlockLeased>().Block);
        AwaitAssert(() => Assert.Equal([(2L, new LeaseOwner(self.SelfAddress, Incarnation))], Leases()));
    }

    private List<(long Block, LeaseOwner Owner)> Leases()
    {
        var replicator = Akka.DistributedData.DistributedData.Get(Sys).Replicator;
        var read = replicator.Ask<Akka.DistributedData.IGetResponse>(
            Akka.DistributedData.Dsl.Get(LeaseTable.Key, Akka.DistributedData.ReadLocal.Instance), TimeSpan.FromSeconds(3)).Result;
        return read is Akka.DistributedData.GetSuccess success ? LeaseTable.Leases(success.Get(LeaseTable.Key)).OrderBy(lease => lease.Block).ToList() : [];
    }
}
