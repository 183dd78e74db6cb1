namespace Relay.Actors.Session;

/// <summary>
/// What the dashboard shows of one connected client: how it is connected and how much it has
/// sent and received. Written by the client's session only; read, a moment stale, by anyone.
/// </summary>
/// <param name="transport">What carries the session.</param>
/// <param name="remote">The client's address (host:port).</param>
public sealed class ClientActivity(ClientTransport transport, string remote)
{
    private long _messagesIn;
    private long _messagesOut;
    private int _json;
    private volatile string[] _rooms = [];

    /// <summary>What carries the session.</summary>
    public ClientTransport Transport => transport;

    /// <summary>The client's address.</summary>
    public string Remote => remote;

    /// <summary>When the client got its id.</summary>
    public DateTimeOffset ConnectedAt { get; } = DateTimeOffset.UtcNow;

    /// <summary>Whether the client speaks JSON (decided by its first byte).</summary>
    public bool Json => Volatile.Read(ref _json) == 1;

    /// <summary>The rooms the client is in, in the order it joined them.</summary>
    public IReadOnlyList<string> Rooms => _rooms;

    /// <summary>Messages the client sent (one-to-one, broadcast and room).</summary>
    public long MessagesIn => Volatile.Read(ref _messagesIn);

    /// <summary>Messages delivered to the client.</summary>
    public long MessagesOut => Volatile.Read(ref _messagesOut);

    // Single writer (the session's actor): plain adds published with a volatile write are enough.
    internal void AddIn(int messages) => Volatile.Write(ref _messagesIn, _messagesIn + messages);

    internal void AddOut(int messages) => Volatile.Write(ref _messagesOut, _messagesOut + messages);

    // Copied: joins and leaves are rare next to reads of the dashboard's page.
    internal void SetRooms(List<string> rooms) => _rooms = rooms.ToArray();

    internal void SpeakJson() => Volatile.Write(ref _json, 1);
}
