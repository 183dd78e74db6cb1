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
    }

    [Fact]
    public void Leases_each_block_once()
    {
        var allocator = Sys.ActorOf(IdAllocator.Props(TimeSpan.FromSeconds(3)));

        var leased = Enumerable.Range(0, 5).Select(_ =>
        {
            allocator.Tell(new LeaseBlock(TestActor));
            return ExpectMsg<BlockLeased>().Block;
        }).ToList();

        Assert.Equal([0L, 1, 2, 3, 4], leased);
    }

    [Fact]
    public void A_new_incarnation_continues_after_the_last_block_leased_by_the_old_one()
    {
        var first = Sys.ActorOf(IdAllocator.Props(TimeSpan.FromSeconds(3)));
        first.Tell(new LeaseBlock(TestActor));
        first.Tell(new LeaseBlock(TestActor));
        ExpectMsg<BlockLeased>();
        Assert.Equal(1, ExpectMsg<BlockLeased>().Block);

        Watch(first);
        Sys.Stop(first);
        ExpectTerminated(first);

        // As after its node crashed: the singleton starts elsewhere and reads the lease table.
        var second = Sys.ActorOf(IdAllocator.Props(TimeSpan.FromSeconds(3)));
        second.Tell(new LeaseBlock(TestActor));
        Assert.Equal(2, ExpectMsg<BlockLeased>().Block);
    }
}
