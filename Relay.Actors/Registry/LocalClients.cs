using System.Collections.Concurrent;
using Relay.Actors.Session;

namespace Relay.Actors.Registry;

/// <summary>
/// The clients connected to this node, by id: a lock-free map that connections consult first, so
/// a message between two clients of the same node goes straight from one connection actor to the
/// other, without the shard region and the registry entity.
/// </summary>
/// <remarks>
/// A session adds its client before it sends YOUR_ID (nobody can know its id earlier) and removes
/// it as soon as the client quits, leaves or is disconnected, so a local target is always reached
/// directly, never sometimes through the registry: that is what keeps a pair's messages in order.
/// Senders reserve room in the client's <see cref="ClientInbox"/> before they send.
/// </remarks>
public sealed class LocalClients
{
    private readonly ConcurrentDictionary<long, ClientInbox> _inboxes = new();

    /// <summary>The inbox of <paramref name="clientId"/>, if that client is on this node.</summary>
    public bool TryGet(long clientId, out ClientInbox inbox) => _inboxes.TryGetValue(clientId, out inbox!);

    /// <summary>Every client of this node; a live view, safe to enumerate while clients come and go.</summary>
    internal IEnumerable<KeyValuePair<long, ClientInbox>> All => _inboxes;

    internal void Add(long clientId, ClientInbox inbox) => _inboxes[clientId] = inbox;

    /// <summary>The number of clients of this node.</summary>
    public int Count => _inboxes.Count;

    internal bool Remove(long clientId, ClientInbox inbox) => _inboxes.TryRemove(new KeyValuePair<long, ClientInbox>(clientId, inbox));
}
