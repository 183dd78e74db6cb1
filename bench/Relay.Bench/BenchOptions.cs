using System.Net;

namespace Relay.Bench;

/// <summary>What every workload shares: where the nodes are and how long it may run at most.</summary>
/// <param name="Nodes">Client endpoints; clients are spread over them round-robin. With <paramref name="Udp"/>, the nodes' UDP endpoints.</param>
/// <param name="Limit">Hard bound on the whole run: it stops by itself, finished or not.</param>
/// <param name="Progress">Print progress to stderr once a second.</param>
/// <param name="Json">Clients speak the JSON protocol (one object per line) instead of text lines.</param>
/// <param name="Udp">Clients send datagrams to <paramref name="Nodes"/> (the nodes' <c>--udp-port</c>), one command each.</param>
/// <param name="Server">What <paramref name="Nodes"/> are: RelayChat nodes, or a pub/sub peer loaded by the same workloads.</param>
internal sealed record BenchOptions(
    IReadOnlyList<IPEndPoint> Nodes, TimeSpan Limit, bool Progress, bool Json = false, bool Udp = false, BenchServer Server = BenchServer.Relay)
{
    /// <summary>The node for the <paramref name="index"/>-th client.</summary>
    public IPEndPoint NodeFor(int index) => Nodes[index % Nodes.Count];

    /// <summary>The protocol's name, for the results: text, json, udp or udp-json; a peer's: resp3 or nats.</summary>
    public string Protocol => Server switch
    {
        BenchServer.Redis => "resp3",
        BenchServer.Nats => "nats",
        _ => RelayProtocol,
    };

    /// <summary>The server's name, for the results: relay, redis or nats.</summary>
    public string ServerName => Server.ToString().ToLowerInvariant();

    private string RelayProtocol => (Udp, Json) switch
    {
        (false, false) => "text",
        (false, true) => "json",
        (true, false) => "udp",
        (true, true) => "udp-json",
    };
}
