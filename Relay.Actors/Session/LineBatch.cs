using System.Buffers;
using Akka.Actor;

namespace Relay.Actors.Session;

/// <summary>
/// <c>FROM:</c> lines for one connection on this node, written by the sender's connection while
/// it parses one received chunk and delivered as one message at the end of it. The buffer is
/// rented from the shared pool; the receiver copies it into its outbound buffer and returns it.
/// </summary>
/// <param name="Buffer">Rented array holding the lines; the receiver returns it to the pool.</param>
/// <param name="Length">Bytes of <paramref name="Buffer"/> in use.</param>
public sealed record RelayedLines(byte[] Buffer, int Length)
{
    /// <summary>Gives the buffer back to the pool; the lines are unusable afterwards.</summary>
    public void Return() => ArrayPool<byte>.Shared.Return(Buffer);
}

/// <summary>
/// Collects, per local target, the lines relayed from one received chunk, so that a chunk of a
/// hundred messages for one partner costs one actor message instead of a hundred.
/// </summary>
/// <remarks>Owned by one connection actor; targets are few per chunk, so a list beats a dictionary.</remarks>
internal sealed class LineBatch
{
    private const int InitialSize = 4096;

    private readonly List<(IActorRef Target, Writer Lines)> _pending = new();

    /// <summary>The buffer to append lines for <paramref name="target"/> to.</summary>
    public IBufferWriter<byte> For(IActorRef target)
    {
        foreach (var (pendingTarget, lines) in _pending)
        {
            if (pendingTarget.Equals(target))
                return lines;
        }

        var writer = new Writer();
        _pending.Add((target, writer));
        return writer;
    }

    /// <summary>Sends every target its lines and starts over.</summary>
    public void Deliver()
    {
        foreach (var (target, lines) in _pending)
            target.Tell(lines.Detach(), ActorRefs.NoSender);
        _pending.Clear();
    }

    private sealed class Writer : IBufferWriter<byte>
    {
        private byte[] _buffer = ArrayPool<byte>.Shared.Rent(InitialSize);
        private int _length;

        public void Advance(int count) => _length += count;

        public Memory<byte> GetMemory(int sizeHint = 0) => Ensure(sizeHint).AsMemory(_length);

        public Span<byte> GetSpan(int sizeHint = 0) => Ensure(sizeHint).AsSpan(_length);

        public RelayedLines Detach() => new(_buffer, _length);

        private byte[] Ensure(int sizeHint)
        {
            var needed = _length + Math.Max(sizeHint, 1);
            if (_buffer.Length >= needed)
                return _buffer;

            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, _buffer.Length * 2));
            _buffer.AsSpan(0, _length).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
            return bigger;
        }
    }
}
