using Akka.Actor;
using Relay.Actors.Ids;
using Relay.Actors.Metrics;
using Relay.Actors.Presence;
using Relay.Actors.Registry;

namespace Relay.Actors;

/// <summary>What every connection on a node talks to; wired once by <see cref="RelayNode"/>.</summary>
/// <param name="IdPool">Hands out this node's client ids.</param>
/// <param name="Registry">The shard region of the sharded registry (one entity per id block).</param>
/// <param name="LeaseDirectory">Learns unknown block owners from a majority.</param>
/// <param name="Routes">Lock-free view of block owners and reachable nodes.</param>
/// <param name="Blocks">How ids map to blocks.</param>
/// <param name="Local">The clients of this node, for direct delivery between them.</param>
/// <param name="Fanout">The node's fan-out actor: broadcasts and room messages.</param>
/// <param name="Presence">Who is online and in which rooms, cluster-wide.</param>
/// <param name="Counters">What the node has done, for metrics and the dashboard.</param>
public sealed record NodeServices(
    IActorRef IdPool, IActorRef Registry, IActorRef LeaseDirectory, RoutingTable Routes, IdBlocks Blocks, LocalClients Local,
    IActorRef Fanout, ClusterPresence Presence, NodeCounters Counters);
