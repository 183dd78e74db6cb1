using System.Buffers;
using Akka.IO;

namespace Relay.Actors.Session;

/// <summary>
/// Everything a session sends its client, and the one account of it. Replies the session writes
/// itself are counted as they are written (<see cref="Replies"/>); deliveries from other clients
/// were counted by their senders when they reserved room in the <see cref="ClientInbox"/>
/// (<see cref="Delivered"/>). Bytes leave the account when the transport has taken them.
/// </summary>
/// <remarks>Not thread-safe: owned by one session.</remarks>
internal sealed class SessionOutput : IDisposable
{
    private readonly OutboundBuffer _buffer = new();
    private readonly ReplyWriter _replies;

    public SessionOutput(ClientInbox inbox)
    {
        Inbox = inbox;
        _replies = new ReplyWriter(this);
    }

    /// <summary>The account other clients reserve room in before they send.</summary>
    public ClientInbox Inbox { get; }

    /// <summary>Where the session writes its own lines (YOUR_ID, errors, PONG, RECONNECT); counted as written.</summary>
    public IBufferWriter<byte> Replies => _replies;

    /// <summary>Where deliveries from other clients go; their room was reserved by the sender.</summary>
    public IBufferWriter<byte> Delivered => _buffer;

    /// <summary>Bytes queued for the client and not yet taken by the transport (reservations included).</summary>
    public long QueuedBytes => Inbox.QueuedBytes;

    /// <summary>True when nothing is pending or in flight.</summary>
    public bool IsEmpty => _buffer.IsEmpty;

    /// <summary>The next write for the transport, or null while one is in flight or nothing is pending.</summary>
    public ByteString? TakeNextWrite() => _buffer.TakeNextWrite();

    /// <summary>Bytes appended so far, replies and deliveries: the position just after the last line queued.</summary>
    public long TotalAppended => _buffer.TotalAppended;

    /// <summary>Bytes the transport has taken so far: every line that ends at or before this position is out.</summary>
    public long TotalTaken { get; private set; }

    /// <summary>
    /// Bytes senders have reserved for the client whose delivery has not reached the session yet
    /// (the account, less what the session holds and the transport has not taken).
    /// </summary>
    public long ReservedNotArrived => Inbox.QueuedBytes - (TotalAppended - TotalTaken);

    /// <summary>The transport took the write in flight.</summary>
    public void WriteCompleted()
    {
        var written = _buffer.WriteCompleted();
        TotalTaken += written;
        Inbox.Release(written);
    }

    public void Dispose() => _buffer.Dispose();

    private sealed class ReplyWriter(SessionOutput output) : IBufferWriter<byte>
    {
        public void Advance(int count)
        {
            output._buffer.Advance(count);
            output.Inbox.Add(count);
        }

        public Memory<byte> GetMemory(int sizeHint = 0) => output._buffer.GetMemory(sizeHint);

        public Span<byte> GetSpan(int sizeHint = 0) => output._buffer.GetSpan(sizeHint);
    }
}
