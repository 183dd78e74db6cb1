using System.Buffers;

namespace Relay.Protocol;

/// <summary>
/// Cuts a TCP byte stream into lines ending in <c>\n</c> (a <c>\r</c> before it is dropped).
/// </summary>
/// <remarks>
/// Lines wholly inside one chunk are handed to the sink as slices of that chunk, without copying.
/// Only the unterminated tail of a chunk is copied, into a buffer rented from the shared pool and
/// returned as soon as the line completes, so an idle connection holds no buffer at all.
/// Memory per connection is bounded by the line limit: an overlong line is reported once and then
/// skipped as it streams in. A sink that is full stops the framer between lines; the rest of that
/// chunk waits in a second pooled buffer, so the sink's replies to one chunk stay bounded too.
/// Not thread-safe; one framer per connection.
/// </remarks>
public sealed class LineFramer : IDisposable
{
    private const int InitialBufferSize = 256;

    private readonly int _maxLineBytes;
    private byte[]? _partial;
    private int _partialLength;
    private byte[]? _unread;
    private int _unreadLength;
    private bool _skippingOverlongLine;

    /// <summary>Creates a framer that refuses lines longer than <paramref name="maxLineBytes"/> (terminator excluded).</summary>
    public LineFramer(int maxLineBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLineBytes, 1);
        _maxLineBytes = maxLineBytes;
    }

    /// <summary>True while bytes of an unterminated line have been seen and not yet delivered or skipped.</summary>
    public bool HasPartialLine => _partialLength > 0 || _skippingOverlongLine;

    /// <summary>
    /// Bytes of the unterminated line held now: never more than the line limit plus one (the
    /// <c>\r</c> a line of exactly the limit may end with), however the stream arrives.
    /// </summary>
    public int PartialLineBytes => _partialLength;

    /// <summary>True while part of a chunk waits because the sink was full (<see cref="FeedUnread{TSink}"/>).</summary>
    public bool HasUnread => _unreadLength > 0;

    /// <summary>
    /// Feeds the next chunk of the stream; complete lines go to <paramref name="sink"/> in order.
    /// If the sink becomes full, the rest of the chunk is kept (copied, at most one chunk) for
    /// <see cref="FeedUnread{TSink}"/>; feed no new chunk while <see cref="HasUnread"/>.
    /// </summary>
    public void Feed<TSink>(ReadOnlySpan<byte> chunk, TSink sink) where TSink : ILineSink
    {
        while (!chunk.IsEmpty)
        {
            if (sink.IsFull)
            {
                Keep(chunk);
                return;
            }

            var end = chunk.IndexOf(Wire.LineFeed);
            if (end < 0)
            {
                Buffer(chunk, sink);
                return;
            }

            var piece = chunk[..end];
            chunk = chunk[(end + 1)..];

            if (_skippingOverlongLine)
            {
                _skippingOverlongLine = false;
            }
            else if (_partialLength == 0)
            {
                Deliver(piece, sink);
            }
            else if (Buffer(piece, sink))
            {
                Deliver(_partial.AsSpan(0, _partialLength), sink);
                ReleasePartial();
            }
            else
            {
                // The overlong line ended within this piece: nothing left to skip.
                _skippingOverlongLine = false;
            }
        }
    }

    /// <summary>Feeds what was kept when the sink became full; it may be kept again, from where it stopped.</summary>
    public void FeedUnread<TSink>(TSink sink) where TSink : ILineSink
    {
        if (_unread is null)
            return;

        var unread = _unread;
        var length = _unreadLength;
        _unread = null;
        _unreadLength = 0;
        try
        {
            Feed(unread.AsSpan(0, length), sink);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(unread);
        }
    }

    /// <summary>
    /// Treats the buffered unterminated line as complete. The connection calls this when no bytes
    /// arrived for a while, so that clients which never send a terminator (the seed's client) work.
    /// </summary>
    public void CompletePartialLine<TSink>(TSink sink) where TSink : ILineSink
    {
        if (_skippingOverlongLine)
        {
            _skippingOverlongLine = false;
            return;
        }

        if (_partialLength > 0)
        {
            Deliver(_partial.AsSpan(0, _partialLength), sink);
            ReleasePartial();
        }
    }

    /// <summary>Returns the pooled buffers, if any.</summary>
    public void Dispose()
    {
        ReleasePartial();
        if (_unread is not null)
        {
            ArrayPool<byte>.Shared.Return(_unread);
            _unread = null;
            _unreadLength = 0;
        }
    }

    private void Keep(ReadOnlySpan<byte> rest)
    {
        _unread = ArrayPool<byte>.Shared.Rent(rest.Length);
        rest.CopyTo(_unread);
        _unreadLength = rest.Length;
    }

    private void Deliver<TSink>(ReadOnlySpan<byte> line, TSink sink) where TSink : ILineSink
    {
        if (!line.IsEmpty && line[^1] == Wire.CarriageReturn)
            line = line[..^1];

        if (line.Length > _maxLineBytes)
            sink.OnLineTooLong();
        else
            sink.OnLine(line);
    }

    /// <summary>Appends to the partial line; false (after telling the sink) when that crosses the limit.</summary>
    private bool Buffer<TSink>(ReadOnlySpan<byte> bytes, TSink sink) where TSink : ILineSink
    {
        if (_skippingOverlongLine)
            return false;

        // One byte over the limit is allowed in the buffer: it may be the '\r' of a "\r\n".
        var needed = _partialLength + bytes.Length;
        if (needed > _maxLineBytes + 1)
        {
            ReleasePartial();
            _skippingOverlongLine = true;
            sink.OnLineTooLong();
            return false;
        }

        if (_partial is null || _partial.Length < needed)
            Grow(needed);

        bytes.CopyTo(_partial.AsSpan(_partialLength));
        _partialLength = needed;
        return true;
    }

    private void Grow(int needed)
    {
        var size = Math.Max(InitialBufferSize, _partial?.Length * 2 ?? 0);
        size = Math.Min(Math.Max(size, needed), _maxLineBytes + 1);
        var bigger = ArrayPool<byte>.Shared.Rent(size);
        if (_partial is not null)
        {
            _partial.AsSpan(0, _partialLength).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_partial);
        }

        _partial = bigger;
    }

    private void ReleasePartial()
    {
        if (_partial is not null)
        {
            ArrayPool<byte>.Shared.Return(_partial);
            _partial = null;
        }

        _partialLength = 0;
    }
}
