using Relay.Actors.Cluster;
using Relay.Actors.Session;

namespace Relay.Actors.Overview;

/// <summary>
/// What one node tells every other node about itself, once a second: small and fixed in size
/// whatever the number of clients, so the dashboard's view of the cluster costs no cross-node
/// traffic per message or per client.
/// </summary>
/// <param name="ClientEndpoint">Where its clients connect (host:port).</param>
/// <param name="Clients">Its clients now.</param>
/// <param name="Blocks">Id blocks it holds.</param>
/// <param name="MessagesIn">Messages its clients sent since it started.</param>
/// <param name="MessagesOut">Messages delivered to its clients since it started.</param>
/// <param name="Tcp">Its clients over TCP.</param>
/// <param name="Udp">Its clients over UDP.</param>
/// <param name="WebSocket">Its clients over WebSocket.</param>
public sealed record NodeReport(
    string ClientEndpoint, int Clients, int Blocks, long MessagesIn, long MessagesOut, int Tcp, int Udp, int WebSocket) : IRelayClusterMessage;

/// <summary>Asks a node for what it knows of some of its clients (one dashboard page's worth).</summary>
/// <param name="Ids">The clients, all of the asked node's blocks.</param>
public sealed record ClientDetailsRequest(long[] Ids) : IRelayClusterMessage;

/// <summary>The answer to <see cref="ClientDetailsRequest"/>: the clients that are still connected.</summary>
/// <param name="Clients">One per connected client asked about.</param>
public sealed record ClientDetailsReply(ClientDetails[] Clients) : IRelayClusterMessage;

/// <summary>One connected client, as the dashboard lists it.</summary>
/// <param name="Id">Its id.</param>
/// <param name="Transport">What carries its session.</param>
/// <param name="Json">Whether it speaks JSON.</param>
/// <param name="Remote">Its address.</param>
/// <param name="ConnectedAt">When it got its id.</param>
/// <param name="MessagesIn">Messages it sent.</param>
/// <param name="MessagesOut">Messages delivered to it.</param>
/// <param name="Rooms">The rooms it is in.</param>
public sealed record ClientDetails(
    long Id, ClientTransport Transport, bool Json, string Remote, DateTimeOffset ConnectedAt, long MessagesIn, long MessagesOut, string[] Rooms)
{
    /// <summary>What <paramref name="activity"/> says of client <paramref name="id"/> now.</summary>
    public static ClientDetails Of(long id, ClientActivity activity) => new(
        id, activity.Transport, activity.Json, activity.Remote, activity.ConnectedAt, activity.MessagesIn, activity.MessagesOut, [.. activity.Rooms]);
}
