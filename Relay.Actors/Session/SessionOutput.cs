using System.Buffers;
using Akka.IO;
using Relay.Protocol;
using Relay.Protocol.Json;

namespace Relay.Actors.Session;

/// <summary>
/// Everything a session sends its client, and the one account of it. Replies the session writes
/// itself are counted as they are written (<see cref="Replies"/>); deliveries from other clients
/// were counted by their senders when they reserved room in the <see cref="ClientInbox"/>
/// (<see cref="Delivered"/>). Bytes leave the account when the transport has taken them.
/// </summary>
/// <remarks>
/// Every line is produced as text. For a client that speaks JSON, or gets datagrams, lines are
/// staged (<see cref="Stage"/>) and written at <see cref="Flush"/>: as JSON objects carrying the
/// reference of the command they answer, and within the reply budget of the datagram that asked
/// for them. The account then grows by the difference, so it stays exact in the bytes the client is
/// really sent. Not thread-safe: owned by one session.
/// </remarks>
internal sealed class SessionOutput : IDisposable
{
    private readonly OutboundBuffer _buffer = new();
    private readonly ReplyWriter _replies;
    private LineScratch? _staged;
    private StagedDeliveries? _stagedDeliveries;
    private bool _json;
    // Bytes of the staged lines that senders reserved already (deliveries, as opposed to replies).
    private int _stagedReserved;

    public SessionOutput(ClientInbox inbox)
    {
        Inbox = inbox;
        _replies = new ReplyWriter(this);
    }

    /// <summary>
    /// While set, the bytes the session may still send in answer to the datagram it is handling;
    /// <see cref="Flush"/> cuts an error that would not fit down to its code.
    /// </summary>
    public int? ReplyBudget { get; set; }

    /// <summary>The account other clients reserve room in before they send.</summary>
    public ClientInbox Inbox { get; }

    /// <summary>Where the session writes its own lines (YOUR_ID, errors, PONG, RECONNECT); counted as written.</summary>
    public IBufferWriter<byte> Replies => _staged ?? (IBufferWriter<byte>)_replies;

    /// <summary>Where deliveries from other clients go; their room was reserved by the sender.</summary>
    public IBufferWriter<byte> Delivered => _stagedDeliveries ?? (IBufferWriter<byte>)_buffer;

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

    /// <summary>From now on lines are staged until <see cref="Flush"/>, and written as JSON objects if <paramref name="json"/>.</summary>
    public void Stage(bool json)
    {
        _json = json;
        _staged ??= new LineScratch();
        _stagedDeliveries ??= new StagedDeliveries(this);
    }

    /// <summary>
    /// Lines other clients sent this one, whole, their room reserved by the senders: copied as they
    /// are, or for a JSON client written straight as objects (after anything staged, to keep the
    /// order), without being staged as text first.
    /// </summary>
    public void Deliver(ReadOnlySpan<byte> lines)
    {
        if (!_json)
        {
            Delivered.Write(lines);
            return;
        }

        Flush();
        var before = _buffer.TotalAppended;
        foreach (var range in lines.Split(Wire.LineFeed))
        {
            var line = lines[range];
            if (!line.IsEmpty)
                JsonServerLines.ToJson(line, default, _buffer);
        }

        Inbox.Add((int)(_buffer.TotalAppended - before) - lines.Length);
    }

    /// <summary>
    /// Writes the staged lines: as JSON objects carrying <paramref name="reference"/> (the <c>ref</c>
    /// of the command they answer; empty for none) for a JSON client, as they are for a text client.
    /// Does nothing unless lines are staged.
    /// </summary>
    public void Flush(ReadOnlySpan<byte> reference = default)
    {
        if (_staged is null || _staged.Length == 0)
            return;

        var before = _buffer.TotalAppended;
        foreach (var range in _staged.Written.Split(Wire.LineFeed))
        {
            var line = _staged.Written[range];
            if (line.IsEmpty)
                continue;
            if (ReplyBudget is { } budget)
            {
                var written = WriteLine(line, reference, budget);
                ReplyBudget = Math.Max(0, budget - written);
            }
            else
            {
                WriteLine(line, reference);
            }
        }

        Inbox.Add((int)(_buffer.TotalAppended - before) - _stagedReserved);
        _staged.Reset();
        _stagedReserved = 0;
    }

    /// <summary>The session waits for input: the staging buffer goes back to the pool.</summary>
    public void ReleaseStaging() => _staged?.Clear();

    private int WriteLine(ReadOnlySpan<byte> line, ReadOnlySpan<byte> reference)
    {
        var before = _buffer.TotalAppended;
        if (_json)
        {
            JsonServerLines.ToJson(line, reference, _buffer);
        }
        else
        {
            _buffer.Write(line);
            _buffer.Write("\n"u8);
        }

        return (int)(_buffer.TotalAppended - before);
    }

    /// <summary>
    /// A line within what is left of a datagram's reply budget: an error that does not fit keeps
    /// its code (and the ref and cause of a <c>NOT_DELIVERED</c>) and as much of its text as fits.
    /// </summary>
    private int WriteLine(ReadOnlySpan<byte> line, ReadOnlySpan<byte> reference, int budget)
    {
        var size = Measure(line, reference);
        if (size <= budget || !line.StartsWith(Wire.Error))
            return WriteLine(line, reference);

        var textStart = ErrorTextStart(line);
        var rented = ArrayPool<byte>.Shared.Rent(line.Length + 3);
        try
        {
            var text = line[textStart..];
            var keep = text.Length - (size - budget) - 3;
            while (keep > 0)
            {
                // Cut at a word, and say it was cut.
                var space = text[..keep].LastIndexOf((byte)' ');
                keep = space > 0 ? space : 0;
                if (keep == 0)
                    break;
                line[..textStart].CopyTo(rented);
                text[..keep].CopyTo(rented.AsSpan(textStart));
                "..."u8.CopyTo(rented.AsSpan(textStart + keep));
                var cut = rented.AsSpan(0, textStart + keep + 3);
                if (Measure(cut, reference) <= budget)
                    return WriteLine(cut, reference);
                keep--;
            }

            return WriteLine(line[..textStart], reference);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Where the human text of an error line starts: after <c>ERROR:CODE:</c>, or <c>ERROR:NOT_DELIVERED:ref:CAUSE:</c>.</summary>
    private static int ErrorTextStart(ReadOnlySpan<byte> line)
    {
        var fields = line.StartsWith("ERROR:NOT_DELIVERED:"u8) ? 4 : 2;
        var at = 0;
        for (var i = 0; i < fields; i++)
        {
            var colon = line[at..].IndexOf(Wire.Colon);
            if (colon < 0)
                return line.Length;
            at += colon + 1;
        }

        return at;
    }

    private int Measure(ReadOnlySpan<byte> line, ReadOnlySpan<byte> reference) =>
        _json ? JsonLength(line, reference) : line.Length + 1;

    private static int JsonLength(ReadOnlySpan<byte> line, ReadOnlySpan<byte> reference)
    {
        var measure = new ArrayBufferWriter<byte>(line.Length + 64);
        JsonServerLines.ToJson(line, reference, measure);
        return measure.WrittenCount;
    }

    /// <summary>The transport took the write in flight.</summary>
    public void WriteCompleted()
    {
        var written = _buffer.WriteCompleted();
        TotalTaken += written;
        Inbox.Release(written);
    }

    public void Dispose()
    {
        _buffer.Dispose();
        _staged?.Dispose();
    }

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

    /// <summary>Deliveries for a JSON client: staged with the replies, their reserved bytes noted.</summary>
    private sealed class StagedDeliveries(SessionOutput output) : IBufferWriter<byte>
    {
        public void Advance(int count)
        {
            output._staged!.Advance(count);
            output._stagedReserved += count;
        }

        public Memory<byte> GetMemory(int sizeHint = 0) => output._staged!.GetMemory(sizeHint);

        public Span<byte> GetSpan(int sizeHint = 0) => output._staged!.GetSpan(sizeHint);
    }
}
