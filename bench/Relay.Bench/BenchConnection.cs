using System.Net;
using System.Net.Sockets;
using Relay.Protocol;

namespace Relay.Bench;

/// <summary>
/// A lean client for load: raw socket, the project's own framer, no per-message strings. The
/// workloads decide what a line means through their <see cref="ILineSink"/>.
/// </summary>
internal sealed class BenchConnection : IAsyncDisposable
{
    private const int ReceiveBufferSize = 64 * 1024;

    private readonly Socket _socket;

    private BenchConnection(Socket socket, long id)
    {
        _socket = socket;
        Id = id;
    }

    /// <summary>The id the node gave this connection.</summary>
    public long Id { get; }

    /// <summary>Connects and reads <c>YOUR_ID</c>.</summary>
    public static async Task<BenchConnection> ConnectAsync(EndPoint node, CancellationToken cancellation)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(node, cancellation).ConfigureAwait(false);
            var welcome = new WelcomeSink();
            var framer = new LineFramer(256);
            var buffer = new byte[256];
            while (welcome.Id is null)
            {
                var read = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellation).ConfigureAwait(false);
                if (read == 0)
                    throw new IOException($"{node} closed the connection before YOUR_ID");
                framer.Feed(buffer.AsSpan(0, read), welcome);
            }

            return new BenchConnection(socket, welcome.Id.Value);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Connects without waiting for a welcome line: for the peers measured side by side (Redis, NATS).</summary>
    public static async Task<BenchConnection> ConnectRawAsync(EndPoint node, CancellationToken cancellation)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(node, cancellation).ConfigureAwait(false);
            return new BenchConnection(socket, 0);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Sends all of <paramref name="bytes"/>.</summary>
    public async ValueTask SendAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellation)
    {
        while (!bytes.IsEmpty)
        {
            var sent = await _socket.SendAsync(bytes, SocketFlags.None, cancellation).ConfigureAwait(false);
            bytes = bytes[sent..];
        }
    }

    /// <summary>Feeds every received line to <paramref name="sink"/> until the node closes or cancellation.</summary>
    public async Task ReceiveAsync<TSink>(TSink sink, CancellationToken cancellation) where TSink : ILineSink
    {
        var buffer = new byte[ReceiveBufferSize];
        using var framer = new LineFramer(1024 * 1024);
        try
        {
            while (true)
            {
                var read = await _socket.ReceiveAsync(buffer, SocketFlags.None, cancellation).ConfigureAwait(false);
                if (read == 0)
                    return;
                framer.Feed(buffer.AsSpan(0, read), sink);
            }
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
        }
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }

    private sealed class WelcomeSink : ILineSink
    {
        public long? Id { get; private set; }

        public void OnLine(ReadOnlySpan<byte> line)
        {
            var parsed = ServerLine.Parse(line);
            if (parsed.Kind == ServerLineKind.YourId)
                Id = parsed.Id;
        }

        public void OnLineTooLong()
        {
        }
    }
}
