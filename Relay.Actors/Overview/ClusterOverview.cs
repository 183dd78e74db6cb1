using System.Collections.Immutable;
using Akka.Actor;
using Relay.Actors.Ids;
using Relay.Actors.Registry;

namespace Relay.Actors.Overview;

/// <summary>One member of the cluster as the dashboard shows it.</summary>
/// <param name="Address">Where other nodes reach it.</param>
/// <param name="Self">Whether it is the node this overview is kept on.</param>
/// <param name="Status">up, joining, leaving, exiting, down, weakly-up; or unreachable.</param>
/// <param name="Report">Its last report; null until one arrived.</param>
/// <param name="InPerSecond">Messages its clients sent per second, between its last two reports.</param>
/// <param name="OutPerSecond">Messages delivered to its clients per second, between its last two reports.</param>
/// <param name="ReportedAt">When its last report arrived.</param>
public sealed record NodeOverview(
    Address Address, bool Self, string Status, NodeReport? Report, double? InPerSecond, double? OutPerSecond, DateTimeOffset? ReportedAt);

/// <summary>
/// The node's view of the whole cluster for the dashboard: every member with its last report and
/// rates. Replaced whole once a second by <see cref="OverviewReporter"/>; read lock-free by the
/// HTTP endpoints, which also find each client's details here (<see cref="DetailsAsync"/>).
/// </summary>
public sealed class ClusterOverview
{
    private volatile IReadOnlyList<NodeOverview> _nodes = [];

    internal ClusterOverview(ActorSystem system, LocalClients local, RoutingTable routes, IdBlocks blocks)
    {
        System = system;
        Local = local;
        Routes = routes;
        Blocks = blocks;
    }

    /// <summary>Most clients one details request may ask about (a page is at most this).</summary>
    public const int MostClientsPerRequest = 200;

    /// <summary>Every member, this node first, then by address.</summary>
    public IReadOnlyList<NodeOverview> Nodes => _nodes;

    internal ActorSystem System { get; }

    internal LocalClients Local { get; }

    internal RoutingTable Routes { get; }

    internal IdBlocks Blocks { get; }

    /// <summary>
    /// The details of <paramref name="ids"/>: from this node's clients directly, from each other
    /// node with one request per node (waiting at most <paramref name="timeout"/>). A client whose
    /// node does not answer in time, or that left meanwhile, is missing from the result.
    /// </summary>
    public async Task<IReadOnlyDictionary<long, ClientDetails>> DetailsAsync(IReadOnlyCollection<long> ids, TimeSpan timeout)
    {
        var found = new Dictionary<long, ClientDetails>();
        var remote = new Dictionary<Address, List<long>>();
        foreach (var id in ids.Take(MostClientsPerRequest))
        {
            if (Local.TryGet(id, out var inbox))
            {
                if (inbox.Activity is { } activity)
                    found[id] = ClientDetails.Of(id, activity);
            }
            else if (Routes.OwnerOf(Blocks.BlockOf(id)) is { } owner)
            {
                if (!remote.TryGetValue(owner, out var list))
                    remote[owner] = list = new List<long>();
                list.Add(id);
            }
        }

        var replies = remote.Select(async pair =>
        {
            try
            {
                var reporter = System.ActorSelection(new RootActorPath(pair.Key) / "user" / OverviewReporter.Name);
                return await reporter.Ask<ClientDetailsReply>(new ClientDetailsRequest([.. pair.Value]), timeout).ConfigureAwait(false);
            }
            catch (Exception error) when (error is AskTimeoutException or TaskCanceledException)
            {
                return new ClientDetailsReply([]);
            }
        });
        foreach (var reply in await Task.WhenAll(replies).ConfigureAwait(false))
        {
            foreach (var details in reply.Clients)
                found[details.Id] = details;
        }

        return found;
    }

    internal void Publish(IReadOnlyList<NodeOverview> nodes) => _nodes = nodes;
}
