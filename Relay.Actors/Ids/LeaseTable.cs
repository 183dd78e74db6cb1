using System.Globalization;
using Akka.DistributedData;

namespace Relay.Actors.Ids;

/// <summary>
/// The cluster's id-lease table as it is kept in Distributed Data: one entry per id block in use,
/// block number → the <see cref="LeaseOwner"/> that leased it, and one entry for the next block
/// never leased (the high-water mark). Written by the <see cref="IdAllocator"/> singleton only.
/// </summary>
/// <remarks>
/// A lease is removed once its block is of no more use (its node released it, or the node left
/// the cluster), so the table holds the blocks in use, not every block a long-lived cluster has
/// ever leased (Distributed Data replicates a value whole, in frames of bounded size). The
/// high-water mark is what keeps a block from being leased twice once its lease is gone; it is
/// written in the same update as each lease, so a replica that sees it also sees the lease.
/// </remarks>
internal static class LeaseTable
{
    /// <summary>The key of the table in Distributed Data.</summary>
    public static readonly LWWDictionaryKey<string, string> Key = new("relay-id-leases");

    private const string NextBlockEntry = "next";

    /// <summary>The first block no lease was ever written for.</summary>
    public static long NextBlock(LWWDictionary<string, string> table)
    {
        var next = table.TryGetValue(NextBlockEntry, out var mark) ? long.Parse(mark, CultureInfo.InvariantCulture) : 0;
        foreach (var (block, _) in Leases(table))
            next = Math.Max(next, block + 1);
        return next;
    }

    /// <summary>Every lease in the table.</summary>
    public static IEnumerable<(long Block, LeaseOwner Owner)> Leases(LWWDictionary<string, string> table)
    {
        foreach (var (key, value) in table.Entries)
        {
            if (key != NextBlockEntry)
                yield return (long.Parse(key, CultureInfo.InvariantCulture), LeaseOwner.Parse(value));
        }
    }

    /// <summary>The table with <paramref name="block"/> leased to <paramref name="owner"/>, and the high-water mark past it.</summary>
    public static LWWDictionary<string, string> WithLease(LWWDictionary<string, string> table, Akka.Cluster.Cluster writer, long block, LeaseOwner owner) =>
        table
            .SetItem(writer, block.ToString(CultureInfo.InvariantCulture), owner.ToString())
            .SetItem(writer, NextBlockEntry, (block + 1).ToString(CultureInfo.InvariantCulture));

    /// <summary>The table without the leases <paramref name="remove"/> picks.</summary>
    public static LWWDictionary<string, string> Without(LWWDictionary<string, string> table, Akka.Cluster.Cluster writer, Func<long, LeaseOwner, bool> remove)
    {
        foreach (var (block, owner) in Leases(table).ToList())
        {
            if (remove(block, owner))
                table = table.Remove(writer, block.ToString(CultureInfo.InvariantCulture));
        }

        return table;
    }
}
