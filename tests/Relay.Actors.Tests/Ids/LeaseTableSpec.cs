using Akka.Actor;
using Akka.Cluster;
using Akka.Configuration;
using Akka.DistributedData;
using Akka.TestKit.Xunit2;
using Relay.Actors.Ids;
using Xunit.Abstractions;

namespace Relay.Actors.Tests.Ids;

/// <summary>The lease table's layout in Distributed Data, with the node's config and serializers.</summary>
public sealed class LeaseTableSpec(ITestOutputHelper output) : TestKit(SpecConfig)
{
    private static readonly Config SpecConfig = ConfigurationFactory.ParseString("akka.remote.dot-netty.tcp.port = 0")
        .WithFallback(RelayNode.DefaultConfig())
        .WithFallback(DistributedData.DefaultConfig());

    private Akka.Cluster.Cluster Writer => Akka.Cluster.Cluster.Get(Sys);

    [Fact]
    public void Keeps_the_high_water_mark_past_leases_that_were_removed()
    {
        var owner = new LeaseOwner(Writer.SelfAddress, 5);
        var table = LWWDictionary<string, string>.Empty;
        foreach (var block in new long[] { 0, 1, 2 })
            table = LeaseTable.WithLease(table, Writer, block, owner);

        table = LeaseTable.Without(table, Writer, (block, _) => block >= 1);

        Assert.Equal([(0L, owner)], LeaseTable.Leases(table));
        Assert.Equal(3, LeaseTable.NextBlock(table));
        Assert.Equal(0, LeaseTable.NextBlock(LWWDictionary<string, string>.Empty));
    }

    [Fact]
    public void Reads_an_owner_with_and_without_its_incarnation()
    {
        var address = Address.Parse("akka.tcp://relay@10.0.0.7:4053");

        Assert.Equal(new LeaseOwner(address, -42), LeaseOwner.Parse(new LeaseOwner(address, -42).ToString()));
        Assert.Equal(new LeaseOwner(address, 0), LeaseOwner.Parse("akka.tcp://relay@10.0.0.7:4053"));
        Assert.True(new LeaseOwner(address, 0).Is(new UniqueAddress(address, 9)));
        Assert.False(new LeaseOwner(address, 8).Is(new UniqueAddress(address, 9)));
    }

    [Theory]
    [InlineData(1_000)]
    [InlineData(4_000)]
    [InlineData(15_000)]
    public void A_table_of_this_many_blocks_in_use_fits_one_remoting_frame(int blocks)
    {
        // Three nodes, each holding a third of the blocks, spread over a long-lived cluster's range.
        var owners = Enumerable.Range(1, 3).Select(i => new LeaseOwner(Address.Parse($"akka.tcp://relay@10.0.0.{i}:4053"), 1_000_000_000 + i)).ToArray();
        var table = LWWDictionary<string, string>.Empty;
        for (var i = 0; i < blocks; i++)
            table = LeaseTable.WithLease(table, Writer, 1_000_000 + i * 37L, owners[i % 3]);

        var bytes = Sys.Serialization.FindSerializerFor(table).ToBinary(table).Length;
        var frame = Sys.Settings.Config.GetByteSize("akka.remote.dot-netty.tcp.maximum-frame-size")!.Value;
        output.WriteLine($"{blocks} leases: {bytes} bytes serialized ({bytes / (double)blocks:F1} a lease); frame {frame}");

        Assert.True(bytes < frame, $"{bytes} bytes do not fit a frame of {frame}");
    }
}
