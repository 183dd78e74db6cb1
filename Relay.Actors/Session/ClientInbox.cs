using Akka.Actor;

namespace Relay.Actors.Session;

/// <summary>
/// The one account of the bytes queued for a client: what other connections and registry entities
/// have reserved for it (in its mailbox or its outbound buffer), what it owes itself (replies),
/// and what its socket has not yet taken. Shared: senders reserve before they send, the client's
/// session releases as its socket takes the bytes.
/// </summary>
/// <remarks>
/// A sender that cannot reserve does not send: the line is refused at the sender's side, so a
/// client that stops reading can never make the node queue more than
/// <see cref="ConnectionSettings.MaxOutboundBytes"/> for it, however many clients write to it.
/// The first refused reservation marks the client as a slow consumer: its session is told once
/// (<see cref="InboxOverflowed"/>) and disconnects it; from then on every reservation fails and
/// senders answer UNKNOWN_TARGET, as for a client that left.
/// </remarks>
public sealed class ClientInbox
{
    private readonly long _limit;
    private long _queued;
    private int _open = 1;

    /// <summary>Creates the inbox of the client served by <paramref name="connection"/>.</summary>
    /// <param name="connection">The actor that serves the client's session.</param>
    /// <param name="limit">Most bytes queued for the client.</param>
    /// <param name="activity">How the client is connected and what it did, for the dashboard.</param>
    public ClientInbox(IActorRef connection, long limit, ClientActivity? activity = null)
    {
        Connection = connection;
        _limit = limit;
        Activity = activity;
    }

    /// <summary>How the client is connected and what it did; null for an inbox without a session (tests).</summary>
    public ClientActivity? Activity { get; }

    /// <summary>The actor that serves the client's session; deliveries are told to it.</summary>
    public IActorRef Connection { get; }

    /// <summary>Bytes reserved or queued for the client and not yet taken by its socket.</summary>
    public long QueuedBytes => Volatile.Read(ref _queued);

    /// <summary>False once the client left, is leaving, or was disconnected as a slow consumer.</summary>
    public bool IsOpen => Volatile.Read(ref _open) == 1;

    /// <summary>
    /// Reserves room for <paramref name="bytes"/> about to be sent to the client; false when the
    /// client is gone or its queue is full, and then nothing may be sent.
    /// </summary>
    public bool TryReserve(int bytes)
    {
        if (!IsOpen)
            return false;

        if (Interlocked.Add(ref _queued, bytes) <= _limit)
            return true;

        Interlocked.Add(ref _queued, -bytes);
        if (Interlocked.Exchange(ref _open, 0) == 1)
            Connection.Tell(InboxOverflowed.Instance, ActorRefs.NoSender);
        return false;
    }

    /// <summary>Counts bytes the session queued for its own client (replies); never refused.</summary>
    internal void Add(int bytes) => Interlocked.Add(ref _queued, bytes);

    /// <summary>The socket took <paramref name="bytes"/>.</summary>
    internal void Release(int bytes) => Interlocked.Add(ref _queued, -bytes);

    /// <summary>No more deliveries: the client is leaving or gone.</summary>
    internal void Close() => Volatile.Write(ref _open, 0);
}

/// <summary>A delivery to the client found its inbox full: the client is a slow consumer.</summary>
public sealed record InboxOverflowed
{
    /// <summary>The one instance.</summary>
    public static readonly InboxOverflowed Instance = new();
}
