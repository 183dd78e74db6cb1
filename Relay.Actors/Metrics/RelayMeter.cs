using System.Diagnostics.Metrics;
using Akka.Cluster;
using Relay.Actors.Presence;
using Relay.Actors.Registry;
using Relay.Actors.Session;
using Relay.Protocol;

namespace Relay.Actors.Metrics;

/// <summary>
/// The node's instruments (System.Diagnostics.Metrics, meter <c>RelayChat</c>), all observed from
/// counters the node keeps anyway: an exporter that scrapes them costs the relay nothing per
/// message. No instrument has a per-client label.
/// </summary>
public sealed class RelayMeter : IDisposable
{
    /// <summary>The meter's name, for exporters and listeners.</summary>
    public const string Name = "RelayChat";

    private readonly Meter _meter = new(Name);

    /// <summary>Creates the instruments of one node.</summary>
    public RelayMeter(NodeCounters counters, LocalClients local, ClusterPresence presence, RoutingTable routes, Akka.Cluster.Cluster cluster)
    {
        var transports = Enum.GetValues<ClientTransport>();
        _meter.CreateObservableUpDownCounter(
            "relay.connections",
            () => transports.Select(t => new Measurement<long>(counters.Connected(t), Tag("transport", t))),
            "{connection}", "Clients connected now, with an id, by transport.");
        _meter.CreateObservableCounter(
            "relay.connections.accepted",
            () => transports.Select(t => new Measurement<long>(counters.Accepted(t), Tag("transport", t))),
            "{connection}", "Clients that got an id since the node started, by transport.");
        _meter.CreateObservableCounter<long>(
            "relay.messages.sent",
            () =>
            [
                new Measurement<long>(counters.OneToOne, new KeyValuePair<string, object?>("kind", "one_to_one")),
                new Measurement<long>(counters.Broadcasts, new KeyValuePair<string, object?>("kind", "broadcast")),
                new Measurement<long>(counters.RoomMessages, new KeyValuePair<string, object?>("kind", "room")),
            ],
            "{message}", "Messages the node's clients sent, by kind.");
        _meter.CreateObservableCounter(
            "relay.messages.delivered", () => counters.MessagesOut, "{message}", "Messages delivered to the node's clients.");
        _meter.CreateObservableCounter("relay.client.received", () => counters.BytesIn, "By", "Bytes read from clients.");
        _meter.CreateObservableCounter("relay.client.sent", () => counters.BytesOut, "By", "Bytes written to clients.");
        var codes = Enum.GetValues<ErrorCode>();
        _meter.CreateObservableCounter(
            "relay.errors",
            () => codes.Select(code => new Measurement<long>(
                counters.Errors(code), new KeyValuePair<string, object?>("code", System.Text.Encoding.ASCII.GetString(Wire.CodeOf(code))))),
            "{error}", "Error lines sent to clients, by code.");
        _meter.CreateObservableCounter(
            "relay.slow_consumer.disconnects", () => counters.SlowConsumerDisconnects, "{connection}",
            "Clients disconnected for not reading (relay.connection.max-outbound-bytes).");
        _meter.CreateObservableCounter(
            "relay.cross_node.batches", () => counters.CrossNodeBatches, "{batch}", "Batches of one-to-one messages sent to other nodes.");
        _meter.CreateObservableGauge<long>(
            "relay.registry.clients",
            () =>
            [
                new Measurement<long>(local.Count, new KeyValuePair<string, object?>("scope", "node")),
                new Measurement<long>(presence.OnlineCount, new KeyValuePair<string, object?>("scope", "cluster")),
            ],
            "{client}", "Clients registered on this node, and in the whole cluster as this node knows it.");
        _meter.CreateObservableGauge(
            "relay.registry.id_blocks", () => routes.BlocksOf(cluster.SelfAddress), "{block}", "Id blocks this node holds.");
        _meter.CreateObservableGauge(
            "relay.registry.id_leases", () => routes.LeasedBlocks, "{block}",
            "Id blocks leased in the whole cluster (the lease table), as this node knows it.");
        _meter.CreateObservableGauge(
            "relay.registry.shards", () => counters.RegistryShards, "{shard}", "Registry shards this node hosts (one per id block in use).");
        _meter.CreateObservableGauge(
            "relay.cluster.members",
            () =>
            {
                var state = cluster.State;
                return state.Members
                    .GroupBy(member => state.Unreachable.Contains(member) ? "unreachable" : member.Status.ToString().ToLowerInvariant())
                    .Select(group => new Measurement<int>(group.Count(), new KeyValuePair<string, object?>("status", group.Key)));
            },
            "{node}", "Cluster members as this node sees them, by status.");
    }

    /// <summary>Ends the instruments (the node stopped).</summary>
    public void Dispose() => _meter.Dispose();

    private static KeyValuePair<string, object?> Tag(string name, ClientTransport transport) =>
        new(name, transport switch
        {
            ClientTransport.Tcp => "tcp",
            ClientTransport.Udp => "udp",
            _ => "websocket",
        });
}
