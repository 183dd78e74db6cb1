using Relay.Actors;
using Relay.Actors.Overview;
using Relay.Actors.Session;

namespace Relay.Host.Dashboard;

/// <summary>
/// What the dashboard's JSON endpoints answer, from the node's own state: the overview its
/// reporter keeps (one report per node per second), the cluster-wide presence it replicates, and
/// for one page of clients at a time, their details from the nodes that serve them.
/// </summary>
internal static class DashboardApi
{
    /// <summary>Most clients on one page.</summary>
    public const int MaxPageSize = ClusterOverview.MostClientsPerRequest;

    /// <summary>Clients on a page when the request does not say.</summary>
    public const int DefaultPageSize = 50;

    public static OverviewModel Overview(RelayNode node)
    {
        var nodes = Nodes(node);
        var reported = nodes.Where(n => n.Clients is not null).ToList();
        var totals = new TotalsModel(
            reported.Sum(n => (long)n.Clients!.Value),
            reported.Sum(n => n.MessagesIn ?? 0),
            reported.Sum(n => n.MessagesOut ?? 0),
            Math.Round(reported.Sum(n => n.InPerSecond ?? 0), 1),
            Math.Round(reported.Sum(n => n.OutPerSecond ?? 0), 1),
            nodes.Count(n => n.Status == "up"),
            nodes.Count,
            node.Services.Presence.RoomCount);
        return new OverviewModel(node.ClusterAddress.ToString(), nodes, totals);
    }

    public static IReadOnlyList<NodeModel> Nodes(RelayNode node)
    {
        var now = DateTimeOffset.UtcNow;
        return node.Overview.Nodes.Select(n => new NodeModel(
            n.Address.ToString(),
            n.Self,
            n.Status,
            n.Report?.ClientEndpoint,
            n.Report?.Clients,
            n.Report?.Blocks,
            n.Report?.MessagesIn,
            n.Report?.MessagesOut,
            n.InPerSecond is { } inRate ? Math.Round(inRate, 1) : null,
            n.OutPerSecond is { } outRate ? Math.Round(outRate, 1) : null,
            n.Report is { } report ? new TransportCounts(report.Tcp, report.Udp, report.WebSocket) : null,
            n.ReportedAt is { } at ? (long)(now - at).TotalMilliseconds : null)).ToList();
    }

    /// <summary>Clients with ids from <paramref name="from"/> on, at most <paramref name="limit"/>, with their details.</summary>
    public static async Task<ClientsModel> ClientsAsync(RelayNode node, long from, int limit)
    {
        var page = node.Services.Presence.Who(Math.Max(0, from - 1), limit);
        var details = await node.Overview.DetailsAsync(page.Ids, node.Settings.Dashboard.DetailsTimeout);
        var self = node.ClusterAddress;
        var clients = page.Ids.Select(id =>
        {
            var owner = node.Services.Local.TryGet(id, out _) ? self : node.Services.Routes.OwnerOf(node.Services.Blocks.BlockOf(id));
            if (!details.TryGetValue(id, out var client))
                return new ClientModel(id, owner?.ToString(), null, null, null, null, null, null, []);
            return new ClientModel(
                id, owner?.ToString(), TransportName(client.Transport), client.Json ? "json" : "text", client.Remote, client.ConnectedAt,
                client.MessagesIn, client.MessagesOut, client.Rooms);
        }).ToList();
        return new ClientsModel(page.Total, clients, page.More && page.Ids.Length > 0 ? page.Ids[^1] + 1 : null);
    }

    public static RoomsModel Rooms(RelayNode node, string after, int limit)
    {
        var page = node.Services.Presence.Rooms(after, limit);
        return new RoomsModel(page.Rooms.Select(room => new RoomModel(room.Room, room.Members)).ToList(), page.More);
    }

    private static string TransportName(ClientTransport transport) => transport switch
    {
        ClientTransport.Tcp => "tcp",
        ClientTransport.Udp => "udp",
        _ => "ws",
    };
}
