using System.Buffers;
using Akka.IO;

namespace Relay.Actors.Session;

/// <summary>
/// The bytes queued for one client, written out with at most one socket write in flight.
/// </summary>
/// <remarks>
/// Lines are appended to the pending buffer while a write is in flight; when it is acknowledged,
/// everything pending goes out as one write. Many small lines therefore cost one syscall, and the
/// buffer handed to Akka.IO is never copied: it is wrapped, and reused only after the ack.
/// Buffers come from the shared pool and go back as soon as they are empty, so an idle connection
/// holds none. Not thread-safe: owned by one connection actor.
/// </remarks>
internal sealed class OutboundBuffer : IBufferWriter<byte>, IDisposable
{
    private const int MinimumBufferSize = 1024;

    private byte[]? _pending;
    private int _pendingLength;
    private byte[]? _inFlight;
    private int _inFlightLength;

    /// <summary>True when nothing is pending or in flight.</summary>
    public bool IsEmpty => _pendingLength == 0 && _inFlight is null;

    /// <summary>Every byte ever appended: with the bytes the socket took, it tells when a given line went out.</summary>
    public long TotalAppended { get; private set; }

    /// <inheritdoc />
    public void Advance(int count)
    {
        _pendingLength += count;
        TotalAppended += count;
    }

    /// <inheritdoc />
    public Memory<byte> GetMemory(int sizeHint = 0) => Ensure(sizeHint).AsMemory(_pendingLength);

    /// <inheritdoc />
    public Span<byte> GetSpan(int sizeHint = 0) => Ensure(sizeHint).AsSpan(_pendingLength);

    /// <summary>
    /// Takes everything pending as the next write, or null when a write is already in flight or
    /// nothing is pending. Call <see cref="WriteCompleted"/> when the socket acknowledges it.
    /// </summary>
    public ByteString? TakeNextWrite()
    {
        if (_inFlight is not null || _pendingLength == 0)
            return null;

        var write = ByteString.FromBytes(_pending!, 0, _pendingLength);
        _inFlight = _pending;
        _inFlightLength = _pendingLength;
        _pending = null;
        _pendingLength = 0;
        return write;
    }

    /// <summary>The socket has taken the in-flight write; its buffer can be reused. Returns its length.</summary>
    public int WriteCompleted()
    {
        if (_inFlight is null)
            return 0;

        ArrayPool<byte>.Shared.Return(_inFlight);
        _inFlight = null;
        var written = _inFlightLength;
        _inFlightLength = 0;
        return written;
    }

    /// <summary>Returns the pending buffer to the pool.</summary>
    public void Dispose()
    {
        // An in-flight buffer may still be read by the socket: leave it to the GC, never the pool.
        _inFlight = null;
        if (_pending is not null)
        {
            ArrayPool<byte>.Shared.Return(_pending);
            _pending = null;
        }

        _pendingLength = 0;
    }

    private byte[] Ensure(int sizeHint)
    {
        var needed = _pendingLength + Math.Max(sizeHint, 1);
        if (_pending is not null && _pending.Length >= needed)
            return _pending;

        var size = Math.Max(Math.Max(MinimumBufferSize, needed), (_pending?.Length ?? 0) * 2);
        var bigger = ArrayPool<byte>.Shared.Rent(size);
        if (_pending is not null)
        {
            _pending.AsSpan(0, _pendingLength).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_pending);
        }

        _pending = bigger;
        return bigger;
    }
}
