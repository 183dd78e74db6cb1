namespace Relay.Bench.Tests;

/// <summary>Where a soak draws the line between noise and growth.</summary>
public sealed class GrowthLimitsTests
{
    private const long Mib = 1024 * 1024;

    private static readonly NodeSample Start = new(RssBytes: 200 * Mib, Threads: 40, Sockets: 70, CloseWait: 0, TcpClients: 50, Shards: 12, IdBlocks: 12, HeapBytes: 30 * Mib);

    [Fact]
    public void The_same_node_a_little_larger_is_noise()
    {
        var end = Start with { RssBytes = 239 * Mib, Threads = 50, Sockets = 84, TcpClients = 60, Shards = 15, IdBlocks = 15 };

        Assert.Empty(GrowthLimits.Check("node 1", Start, end, startClients: 50, endClients: 60));
    }

    [Fact]
    public void Memory_grows_beyond_a_fifth_or_32_MiB_whichever_is_more()
    {
        Assert.Contains(GrowthLimits.Check("node 1", Start, Start with { RssBytes = 241 * Mib }, 50, 50), p => p.Contains("RSS", StringComparison.Ordinal));
        var small = Start with { RssBytes = 100 * Mib };
        Assert.Empty(GrowthLimits.Check("node 1", small, small with { RssBytes = 131 * Mib }, 50, 50));
        Assert.Single(GrowthLimits.Check("node 1", small, small with { RssBytes = 133 * Mib }, 50, 50));
    }

    [Fact]
    public void Sockets_are_judged_beyond_those_of_the_clients_connected()
    {
        // 20 clients fewer and 20 sockets fewer: nothing left behind.
        Assert.Empty(GrowthLimits.Check("node 1", Start, Start with { Sockets = 50, TcpClients = 30 }, 50, 30));
        // The same clients and 5 more sockets: something was.
        var problems = GrowthLimits.Check("node 1", Start, Start with { Sockets = 75 }, 50, 50);
        Assert.Contains(problems, p => p.Contains("sockets 70 -> 75", StringComparison.Ordinal));
    }

    [Fact]
    public void Threads_shards_id_blocks_close_wait_and_a_wrong_client_count_each_fail()
    {
        var end = Start with { Threads = 51, Shards = 16, IdBlocks = 40, CloseWait = 2, TcpClients = 49 };

        var problems = GrowthLimits.Check("node 2", Start, end, 50, 50);

        Assert.Equal(5, problems.Count);
        Assert.All(problems, p => Assert.StartsWith("node 2 ", p, StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("id blocks 12 -> 40", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("says 49 clients", StringComparison.Ordinal));
    }

    [Fact]
    public void A_figure_the_node_does_not_export_is_not_judged()
    {
        var start = Start with { Shards = null };
        var end = Start with { Shards = null, IdBlocks = 13 };

        Assert.Empty(GrowthLimits.Check("node 1", start, end, 50, 50));
    }
}
