namespace Relay.Bench;

/// <summary>
/// What a soak calls growth rather than noise, between two samples of one node taken in the same
/// state: after a warm-up under the same traffic, with traffic stopped and the cluster settled,
/// and the same long-lived clients connected.
/// </summary>
/// <remarks>
/// The allowances are above what the ten-minute runs of docs/operations.md ("Soak") showed: RSS
/// rose 13-26 MiB, about half of it as the traffic came back after the first sample and then about
/// 1 MiB a minute at most; threads moved by up to 3 either way; sockets beside the clients' did not
/// change at all. What they still catch in ten minutes: a socket or a thread kept per churned
/// connection (about 2,800 of them), more than about 12 KiB kept per churned connection, or about
/// 200 bytes per message (about 170,000 of them).
/// </remarks>
internal static class GrowthLimits
{
    /// <summary>RSS may grow by this fraction of the first sample...</summary>
    public const double RssFraction = 0.20;

    /// <summary>...or by this much, whichever is more.</summary>
    public const long RssBytes = 32L * 1024 * 1024;

    /// <summary>Threads may grow by this many.</summary>
    public const int Threads = 10;

    /// <summary>Sockets beyond those of the clients connected (listeners, cluster links, the runtime's) may grow by this many.</summary>
    public const int Sockets = 4;

    /// <summary>
    /// Registry shards and id blocks may grow by this many: the block in use and the spare one can
    /// each move on by one, and the clients that failed over to this node took ids from its block.
    /// </summary>
    public const int Blocks = 3;

    /// <summary>Why <paramref name="end"/> is growth over <paramref name="start"/>; empty when it is not.</summary>
    /// <param name="node">The node's name in the messages.</param>
    /// <param name="start">The sample after warm-up (for a restarted node, its own after its restart).</param>
    /// <param name="end">The sample after traffic stopped.</param>
    /// <param name="startClients">Clients the load tool had connected to this node at <paramref name="start"/>.</param>
    /// <param name="endClients">And at <paramref name="end"/>.</param>
    public static IReadOnlyList<string> Check(string node, NodeSample start, NodeSample end, int startClients, int endClients)
    {
        var problems = new List<string>();
        var rssAllowed = start.RssBytes + Math.Max((long)(start.RssBytes * RssFraction), RssBytes);
        if (end.RssBytes > rssAllowed)
            problems.Add($"{node} RSS {Mib(start.RssBytes)} -> {Mib(end.RssBytes)} MiB (allowed {Mib(rssAllowed)})");
        if (end.Threads > start.Threads + Threads)
            problems.Add($"{node} threads {start.Threads} -> {end.Threads} (allowed +{Threads})");

        var overheadStart = start.Sockets - startClients;
        var overheadEnd = end.Sockets - endClients;
        if (overheadEnd > overheadStart + Sockets)
            problems.Add($"{node} sockets {start.Sockets} -> {end.Sockets} for {startClients} -> {endClients} clients ({overheadStart} -> {overheadEnd} not a client's; allowed +{Sockets})");
        if (end.CloseWait > 0)
            problems.Add($"{node} has {end.CloseWait} client sockets in CLOSE-WAIT (closed by the client, never by the node)");
        if (end.TcpClients is { } said && said != endClients)
            problems.Add($"{node} says {said} clients are connected; {endClients} are");

        if (start.Shards is { } shardsStart && end.Shards is { } shardsEnd && shardsEnd > shardsStart + Blocks)
            problems.Add($"{node} registry shards {shardsStart} -> {shardsEnd} (allowed +{Blocks})");
        if (start.IdBlocks is { } blocksStart && end.IdBlocks is { } blocksEnd && blocksEnd > blocksStart + Blocks)
            problems.Add($"{node} id blocks {blocksStart} -> {blocksEnd} (allowed +{Blocks})");
        return problems;
    }

    /// <summary>Bytes as MiB with one decimal, for the messages and the table.</summary>
    public static string Mib(long bytes) => (bytes / 1048576.0).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);
}
