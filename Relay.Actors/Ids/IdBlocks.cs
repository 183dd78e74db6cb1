namespace Relay.Actors.Ids;

/// <summary>
/// Client ids come in blocks: block <c>b</c> holds ids <c>b·size+1 … (b+1)·size</c>. A block is
/// leased to one node, and the registry shard of a block lives on that node.
/// </summary>
/// <remarks>
/// The size must be the same on every node and never change during the cluster's life: it is
/// how any node finds the block, and so the node, of an id without asking anyone.
/// </remarks>
/// <param name="Size">Ids per block.</param>
public readonly record struct IdBlocks(int Size)
{
    /// <summary>The block that holds <paramref name="clientId"/>.</summary>
    public long BlockOf(long clientId) => (clientId - 1) / Size;

    /// <summary>The first id of <paramref name="block"/>.</summary>
    public long FirstIdOf(long block) => block * Size + 1;

    /// <summary>The last id of <paramref name="block"/>.</summary>
    public long LastIdOf(long block) => (block + 1) * Size;
}
