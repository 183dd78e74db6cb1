using System.Net;
using System.Net.Sockets;
using Relay.Protocol;

namespace Relay.Bench;

/// <summary>
/// A lean client for load: raw socket, the project's own framer, no per-message strings. The
/// workloads decide what a line means through their <see cref="ILineSink"/>. Over TCP (text or
/// JSON) or UDP (one socket per client, one line per datagram).
/// </summary>
internal sealed class BenchConnection : IAsyncDisposable
{
    private const int ReceiveBufferSize = 64 * 1024;

    // UDP: how long to wait for the answer to HELLO, and how often to ask (a datagram may be lost).
    private static readonly TimeSpan HelloTimeout = TimeSpan.FromSeconds(1);
    private const int HelloAttempts = 5;

    private readonly Socket _socket;
    private readonly byte[]? _quit;

    private BenchConnection(Socket socket, long id, bool udp = false, byte[]? quit = null)
    {
        _socket = socket;
        Id = id;
        IsUdp = udp;
        _quit = quit;
    }

    /// <summary>The id the node gave this connection.</summary>
    public long Id { get; }

    /// <summary>A UDP client: every line it sends is one datagram, and what it sends or receives may be lost.</summary>
    public bool IsUdp { get; }

    /// <summary>
    /// A client of the node at <paramref name="node"/> in the protocol the options name: text or
    /// JSON (<see cref="BenchOptions.Json"/>), over TCP or UDP (<see cref="BenchOptions.Udp"/>).
    /// </summary>
    public static Task<BenchConnection> ConnectAsync(EndPoint node, BenchOptions options, CancellationToken cancellation) =>
        options.Udp ? ConnectUdpAsync(node, options.Json, cancellation)
        : options.Json ? ConnectJsonAsync(node, cancellation)
        : ConnectAsync(node, cancellation);

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

    /// <summary>
    /// Connects, reads <c>YOUR_ID</c>, then switches to JSON (the node answers the first object
    /// with its JSON hello) before anyone can send to this client, so every later line is JSON.
    /// </summary>
    public static async Task<BenchConnection> ConnectJsonAsync(EndPoint node, CancellationToken cancellation)
    {
        var connection = await ConnectAsync(node, cancellation).ConfigureAwait(false);
        try
        {
            await connection.SendAsync(BenchWire.Hello(json: true), cancellation).ConfigureAwait(false);
            var framer = new LineFramer(256);
            var welcome = new WelcomeSink(jsonOnly: true);
            var buffer = new byte[256];
            while (welcome.Id is null)
            {
                var read = await connection._socket.ReceiveAsync(buffer, SocketFlags.None, cancellation).ConfigureAwait(false);
                if (read == 0)
                    throw new IOException($"{node} closed the connection before the JSON hello");
                framer.Feed(buffer.AsSpan(0, read), welcome);
            }

            if (welcome.Id != connection.Id)
                throw new IOException($"{node} said YOUR_ID:{connection.Id} but then hello {welcome.Id}");
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// A UDP client on its own socket (its address:port is its identity): sends <c>HELLO</c> (or the
    /// JSON hello) and waits for its id, asking again a few times, since either datagram may be lost.
    /// </summary>
    public static async Task<BenchConnection> ConnectUdpAsync(EndPoint node, bool json, CancellationToken cancellation)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = 1024 * 1024 };
        try
        {
            socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            await socket.ConnectAsync(node, cancellation).ConfigureAwait(false);
            var hello = BenchWire.Hello(json);
            var buffer = new byte[2048];
            for (var attempt = 0; attempt < HelloAttempts; attempt++)
            {
                await socket.SendAsync(hello, SocketFlags.None, cancellation).ConfigureAwait(false);
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
                wait.CancelAfter(HelloTimeout);
                try
                {
                    // Bounded: each read is one datagram, and the wait ends at HelloTimeout.
                    while (true)
                    {
                        var read = await socket.ReceiveAsync(buffer, SocketFlags.None, wait.Token).ConfigureAwait(false);
                        var welcome = new WelcomeSink(jsonOnly: false);
                        using var framer = new LineFramer(2048);
                        framer.Feed(buffer.AsSpan(0, read), welcome);
                        if (welcome.Id is { } id)
                            return new BenchConnection(socket, id, udp: true, BenchWire.Quit(json));
                    }
                }
                catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
                {
                }
                catch (SocketException error) when (error.SocketErrorCode == SocketError.ConnectionRefused)
                {
                    throw new IOException($"nothing listens for UDP on {node} (is the node started with --udp-port?)", error);
                }
            }

            throw new IOException($"{node} did not answer HELLO over UDP ({HelloAttempts} tries, {HelloTimeout.TotalSeconds:0} s each)");
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A client of a pub/sub peer (Redis, NATS): connects, sends <paramref name="handshake"/> and
    /// reads until <paramref name="reader"/> sees its <see cref="ReceivedKind.Greeting"/> (the
    /// <c>PONG</c> that follows the subscription), so that the client can receive.
    /// <paramref name="id"/> is the load tool's own name for it.
    /// </summary>
    /// <remarks>Nothing is sent to a client before its handshake ends, so no byte after the greeting is dropped.</remarks>
    public static async Task<BenchConnection> ConnectAsync(EndPoint node, long id, byte[] handshake, ILineReader reader, CancellationToken cancellation)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        var connection = new BenchConnection(socket, id);
        try
        {
            await socket.ConnectAsync(node, cancellation).ConfigureAwait(false);
            await connection.SendAsync(handshake, cancellation).ConfigureAwait(false);
            var greeting = new GreetingSink(reader);
            // A NATS INFO line is a few hundred bytes.
            using var framer = new LineFramer(4096);
            var buffer = new byte[1024];
            while (!greeting.Greeted)
            {
                var read = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellation).ConfigureAwait(false);
                if (read == 0)
                    throw new IOException($"{node} closed the connection during the handshake{(greeting.Refusal is null ? "" : $": {greeting.Refusal}")}");
                framer.Feed(buffer.AsSpan(0, read), greeting);
                if (greeting.Refusal is not null)
                    throw new IOException($"{node} refused the handshake: {greeting.Refusal}");
            }

            return connection;
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
    /// <remarks>Over UDP, each line (ending in <c>\n</c>) of <paramref name="bytes"/> goes as one datagram.</remarks>
    public async ValueTask SendAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellation)
    {
        while (IsUdp && !bytes.IsEmpty)
        {
            var end = bytes.Span.IndexOf(Wire.LineFeed);
            var datagram = end < 0 ? bytes : bytes[..(end + 1)];
            // Over loopback a send fails only when nothing listens (an ICMP error from an earlier
            // datagram); the datagram is lost like any other, and the workload counts it.
            try
            {
                await _socket.SendAsync(datagram, SocketFlags.None, cancellation).ConfigureAwait(false);
            }
            catch (SocketException error) when (error.SocketErrorCode == SocketError.ConnectionRefused)
            {
            }

            bytes = bytes[datagram.Length..];
        }

        while (!bytes.IsEmpty)
        {
            var sent = await _socket.SendAsync(bytes, SocketFlags.None, cancellation).ConfigureAwait(false);
            bytes = bytes[sent..];
        }
    }

    /// <summary>
    /// Feeds every received line to <paramref name="sink"/> until the node closes or cancellation;
    /// reads up to <paramref name="bufferBytes"/> at a time (less for thousands of quiet clients).
    /// </summary>
    public async Task ReceiveAsync<TSink>(TSink sink, CancellationToken cancellation, int bufferBytes = ReceiveBufferSize) where TSink : ILineSink
    {
        var buffer = new byte[bufferBytes];
        using var framer = new LineFramer(1024 * 1024);
        try
        {
            while (true)
            {
                int read;
                try
                {
                    read = await _socket.ReceiveAsync(buffer, SocketFlags.None, cancellation).ConfigureAwait(false);
                }
                catch (SocketException error) when (IsUdp && error.SocketErrorCode == SocketError.ConnectionRefused)
                {
                    // An ICMP error for one of our datagrams (the node is gone): nothing more will come.
                    return;
                }

                if (read == 0 && !IsUdp)
                    return;
                // A datagram holds whole lines, each ending in \n: the framer passes them on as they come.
                framer.Feed(buffer.AsSpan(0, read), sink);
            }
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
        }
    }

    /// <summary>Half-closes (FIN): the node handles what it has read, answers it and closes its side.</summary>
    public void ShutdownSend() => _socket.Shutdown(SocketShutdown.Send);

    /// <summary>Closes with a reset (RST, SO_LINGER 0) instead of a FIN: an abrupt end, as a crashed client's.</summary>
    public void Reset()
    {
        _socket.LingerState = new LingerOption(true, 0);
        _socket.Close();
    }

    public ValueTask DisposeAsync()
    {
        if (_quit is not null)
        {
            // A UDP session ends when told to (or after the node's idle timeout): one try, no wait.
            try
            {
                _socket.Send(_quit, SocketFlags.None);
            }
            catch (SocketException)
            {
            }
        }

        _socket.Dispose();
        return ValueTask.CompletedTask;
    }

    private sealed class GreetingSink(ILineReader reader) : ILineSink
    {
        public bool Greeted { get; private set; }

        /// <summary>The first line that was an error, if any.</summary>
        public string? Refusal { get; private set; }

        public void OnLine(ReadOnlySpan<byte> line)
        {
            switch (reader.Read(line, out _))
            {
                case ReceivedKind.Greeting:
                    Greeted = true;
                    break;
                case ReceivedKind.Other:
                    Refusal ??= System.Text.Encoding.UTF8.GetString(line);
                    break;
            }
        }

        public void OnLineTooLong() => Refusal ??= "a line longer than 4 KiB";
    }

    private sealed class WelcomeSink(bool jsonOnly = false) : ILineSink
    {
        public long? Id { get; private set; }

        public void OnLine(ReadOnlySpan<byte> line) => Id ??= BenchWire.GreetingId(line, jsonOnly);

        public void OnLineTooLong()
        {
        }
    }
}
