using System.Collections.Concurrent;
using Akka.Actor;

namespace Relay.Actors.Registry;

/// <summary>
/// The clients connected to this node, by id: a lock-free map that connections consult first, so
/// a message between two clients of the same node goes straight from one connection actor to the
/// other, without the shard region and the registry entity.
/// </summary>
/// <remarks>
/// A connection adds itself before it sends YOUR_ID (nobody can know its id earlier) and removes
/// itself when it stops, so a local target is always reached directly, never sometimes through the
/// registry: that is what keeps a pair's messages in order.
/// </remarks>
public sealed class LocalClients
{
    private readonly ConcurrentDictionary<long, IActorRef> _connections = new();

    /// <summary>The connection actor of <paramref name="clientId"/>, if that client is on this node.</summary>
    public bool TryGet(long clientId, out IActorRef connection) => _connections.TryGetValue(clientId, out connection!);

    internal void Add(long clientId, IActorRef connection) => _connections[clientId] = connection;

    internal void Remove(long clientId) => _connections.TryRemove(clientId, out _);
}
