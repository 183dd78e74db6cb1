using System.Text.Json;
using System.Text.Json.Serialization;

namespace Relay.Host.Dashboard;

/// <summary>One node in <c>/api/overview</c> and <c>/api/nodes</c>; its figures are null until it has reported.</summary>
internal sealed record NodeModel(
    string Address, bool Self, string Status, string? ClientEndpoint, int? Clients, int? Blocks, long? MessagesIn, long? MessagesOut,
    double? InPerSecond, double? OutPerSecond, TransportCounts? Transports, long? ReportedMsAgo);

/// <summary>Clients of a node by transport.</summary>
internal sealed record TransportCounts(int Tcp, int Udp, int Ws);

/// <summary>The cluster's totals, from the nodes' last reports.</summary>
internal sealed record TotalsModel(long Clients, long MessagesIn, long MessagesOut, double InPerSecond, double OutPerSecond, int NodesUp, int Nodes, int Rooms);

/// <summary><c>/api/overview</c> and each <c>/api/events</c> event.</summary>
internal sealed record OverviewModel(string Self, IReadOnlyList<NodeModel> Nodes, TotalsModel Totals);

/// <summary><c>/api/nodes</c>.</summary>
internal sealed record NodesModel(IReadOnlyList<NodeModel> Nodes);

/// <summary>One client in <c>/api/clients</c>; the details are null when its node did not answer in time.</summary>
internal sealed record ClientModel(
    long Id, string? Node, string? Transport, string? Protocol, string? Remote, DateTimeOffset? ConnectedAt, long? MessagesIn, long? MessagesOut,
    IReadOnlyList<string> Rooms);

/// <summary><c>/api/clients</c>: one page, ascending by id; <c>next</c> is the next page's <c>from</c>.</summary>
internal sealed record ClientsModel(long Total, IReadOnlyList<ClientModel> Clients, long? Next);

/// <summary>One room with its member count.</summary>
internal sealed record RoomModel(string Name, long Members);

/// <summary><c>/api/rooms</c>: one page in ordinal order.</summary>
internal sealed record RoomsModel(IReadOnlyList<RoomModel> Rooms, bool More);

/// <summary>An error or a refusal (401, 503, 400).</summary>
internal sealed record ErrorModel(string Error);

/// <summary><c>/healthz</c> and <c>/readyz</c>.</summary>
internal sealed record HealthModel(string Status, string Reason);

/// <summary>The API's JSON, source-generated (no reflection), in camelCase.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(OverviewModel))]
[JsonSerializable(typeof(NodesModel))]
[JsonSerializable(typeof(ClientsModel))]
[JsonSerializable(typeof(RoomsModel))]
[JsonSerializable(typeof(ErrorModel))]
[JsonSerializable(typeof(HealthModel))]
internal sealed partial class DashboardJson : JsonSerializerContext;
