using System.Buffers;

namespace Relay.Actors.Session;

/// <summary>
/// A growable buffer for a few lines on their way somewhere else (a JSON command translated to its
/// text line, text lines waiting to be written as JSON). Rented from the shared pool, reused for
/// the lines of one read (<see cref="Reset"/>) and returned once the session waits for input
/// (<see cref="Clear"/>), so an idle session holds none.
/// </summary>
/// <remarks>Not thread-safe: owned by one session.</remarks>
internal sealed class LineScratch : IBufferWriter<byte>, IDisposable
{
    private const int MinimumBufferSize = 256;

    private byte[]? _buffer;

    /// <summary>Bytes written since the last <see cref="Clear"/>.</summary>
    public int Length { get; private set; }

    /// <summary>What was written since the last <see cref="Clear"/>.</summary>
    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, Length);

    /// <inheritdoc />
    public void Advance(int count) => Length += count;

    /// <inheritdoc />
    public Memory<byte> GetMemory(int sizeHint = 0) => Ensure(sizeHint).AsMemory(Length);

    /// <inheritdoc />
    public Span<byte> GetSpan(int sizeHint = 0) => Ensure(sizeHint).AsSpan(Length);

    /// <summary>Forgets what was written and keeps the buffer, for the next line of the same read.</summary>
    public void Reset() => Length = 0;

    /// <summary>Forgets what was written and returns the buffer to the pool.</summary>
    public void Clear()
    {
        Length = 0;
        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
        }
    }

    /// <inheritdoc />
    public void Dispose() => Clear();

    private byte[] Ensure(int sizeHint)
    {
        var needed = Length + Math.Max(sizeHint, 1);
        if (_buffer is not null && _buffer.Length >= needed)
            return _buffer;

        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(Math.Max(MinimumBufferSize, needed), (_buffer?.Length ?? 0) * 2));
        if (_buffer is not null)
        {
            _buffer.AsSpan(0, Length).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_buffer);
        }

        _buffer = bigger;
        return bigger;
    }
}
