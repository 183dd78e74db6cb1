using System.Buffers;
using System.Net.Sockets;
using Relay.Protocol;

namespace Relay.Client;

/// <summary>A TCP connection: a byte stream cut into lines by a <see cref="LineFramer"/>.</summary>
internal sealed class TcpLink(int maxLineBytes) : RelayLink
{
    private readonly Socket _socket = new(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
    private readonly LineFramer _framer = new(maxLineBytes);
    private readonly byte[] _buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);

    public override async ValueTask ConnectAsync(string host, int port, CancellationToken cancellation) =>
        await _socket.ConnectAsync(host, port, cancellation).ConfigureAwait(false);

    public override async ValueTask SendAsync(ReadOnlyMemory<byte> command, CancellationToken cancellation) =>
        await _socket.SendAsync(command, SocketFlags.None, cancellation).ConfigureAwait(false);

    public override async ValueTask<bool> ReceiveAsync(ServerLineEvents sink, CancellationToken cancellation)
    {
        var read = await _socket.ReceiveAsync(_buffer, SocketFlags.None, cancellation).ConfigureAwait(false);
        if (read == 0)
            return false;
        _framer.Feed(_buffer.AsSpan(0, read), sink);
        return true;
    }

    public override void Close()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception error) when (error is SocketException or ObjectDisposedException)
        {
            // Already closed by the other side, or by an earlier Close.
        }

        _socket.Dispose();
    }

    public override void Dispose()
    {
        _framer.Dispose();
        ArrayPool<byte>.Shared.Return(_buffer);
    }
}
