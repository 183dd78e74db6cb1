using System.Net;

namespace Relay.Bench;

/// <summary>What every workload shares: where the nodes are and how long it may run at most.</summary>
/// <param name="Nodes">Client endpoints; clients are spread over them round-robin.</param>
/// <param name="Limit">Hard bound on the whole run: it stops by itself, finished or not.</param>
/// <param name="Progress">Print progress to stderr once a second.</param>
internal sealed record BenchOptions(IReadOnlyList<IPEndPoint> Nodes, TimeSpan Limit, bool Progress)
{
    /// <summary>The node for the <paramref name="index"/>-th client.</summary>
    public IPEndPoint NodeFor(int index) => Nodes[index % Nodes.Count];
}
