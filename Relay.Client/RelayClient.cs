using System.Buffers;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;
using Relay.Protocol;

namespace Relay.Client;

/// <summary>
/// A connection to a RelayChat node: learn your id, send messages, read what arrives.
/// </summary>
/// <remarks>
/// Sends are safe from several threads at once. Incoming lines are read by one background loop
/// into a bounded buffer that <see cref="ReadAllAsync"/> drains; the loop ends, and the stream
/// completes, when the server closes the connection or <see cref="DisposeAsync"/> is called.
/// </remarks>
public sealed class RelayClient : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly RelayClientOptions _options;
    private readonly Channel<RelayEvent> _events;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly ArrayBufferWriter<byte> _sendBuffer = new(256);
    private readonly TaskCompletionSource<long> _welcome = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private Task _readLoop = Task.CompletedTask;
    private int _disposed;

    private RelayClient(Socket socket, RelayClientOptions options)
    {
        _socket = socket;
        _options = options;
        _events = Channel.CreateBounded<RelayEvent>(new BoundedChannelOptions(options.EventBufferCapacity)
        {
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>The id the server assigned to this client.</summary>
    public long Id { get; private set; }

    /// <summary>Completes when the connection has ended; faults with the reason if it broke.</summary>
    public Task Completion => _events.Reader.Completion;

    /// <summary>Connects and waits for the server's <c>YOUR_ID</c> line.</summary>
    /// <exception cref="RelayConnectionException">The node cannot be reached or is not a RelayChat node.</exception>
    public static async Task<RelayClient> ConnectAsync(
        string host, int port, RelayClientOptions? options = null, CancellationToken cancellation = default)
    {
        options ??= RelayClientOptions.Default;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timeout.CancelAfter(options.ConnectTimeout);

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        var client = new RelayClient(socket, options);
        try
        {
            await socket.ConnectAsync(host, port, timeout.Token).ConfigureAwait(false);
            client._readLoop = client.ReadLoopAsync();
            client.Id = await client._welcome.Task.WaitAsync(timeout.Token).ConfigureAwait(false);
            return client;
        }
        catch (Exception error) when (error is SocketException or OperationCanceledException or InvalidDataException or IOException)
        {
            await client.DisposeAsync().ConfigureAwait(false);
            if (cancellation.IsCancellationRequested)
                throw;
            var reason = error switch
            {
                SocketException socketError => socketError.Message,
                OperationCanceledException => $"no answer within {options.ConnectTimeout.TotalSeconds:0.#} s",
                _ => error.Message,
            };
            throw new RelayConnectionException($"cannot connect to {host}:{port}: {reason}", error);
        }
    }

    /// <summary>Sends <paramref name="text"/> to the client with id <paramref name="targetId"/>.</summary>
    /// <exception cref="ArgumentException">The text contains a line break.</exception>
    public async ValueTask SendAsync(long targetId, string text, CancellationToken cancellation = default)
    {
        if (text.AsSpan().ContainsAny('\n', '\r'))
            throw new ArgumentException("A message is one line: it cannot contain a line break.", nameof(text));

        var utf8 = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(text.Length));
        try
        {
            var length = Encoding.UTF8.GetBytes(text, utf8);
            await SendAsync(targetId, utf8.AsMemory(0, length), cancellation).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(utf8);
        }
    }

    /// <summary>Sends a message that is already UTF-8.</summary>
    public ValueTask SendAsync(long targetId, ReadOnlyMemory<byte> utf8, CancellationToken cancellation = default) =>
        WriteAsync(output => ClientLines.To(output, targetId, utf8.Span), cancellation);

    /// <summary>Sends <c>PING</c>; a <see cref="PongReceived"/> follows once everything sent before it was handled.</summary>
    public ValueTask PingAsync(CancellationToken cancellation = default) =>
        WriteAsync(ClientLines.Ping, cancellation);

    /// <summary>Sends <c>QUIT</c>: the server sends what is pending and closes.</summary>
    public ValueTask QuitAsync(CancellationToken cancellation = default) =>
        WriteAsync(ClientLines.Quit, cancellation);

    /// <summary>What the server sends, in order, until the connection ends.</summary>
    public IAsyncEnumerable<RelayEvent> ReadAllAsync(CancellationToken cancellation = default) =>
        _events.Reader.ReadAllAsync(cancellation);

    /// <summary>Reads the next event; throws <see cref="ChannelClosedException"/> once the connection has ended.</summary>
    public ValueTask<RelayEvent> ReadAsync(CancellationToken cancellation = default) =>
        _events.Reader.ReadAsync(cancellation);

    /// <summary>Closes the socket and stops the read loop. Safe to call more than once.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
            return;

        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // Already closed by the other side.
        }
        catch (ObjectDisposedException)
        {
        }

        _socket.Dispose();
        await _readLoop.ConfigureAwait(false);
        _stop.Dispose();
        _sendLock.Dispose();
    }

    private async ValueTask WriteAsync(Action<ArrayBufferWriter<byte>> write, CancellationToken cancellation)
    {
        await _sendLock.WaitAsync(cancellation).ConfigureAwait(false);
        try
        {
            _sendBuffer.ResetWrittenCount();
            write(_sendBuffer);
            await _socket.SendAsync(_sendBuffer.WrittenMemory, SocketFlags.None, cancellation).ConfigureAwait(false);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async Task ReadLoopAsync()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        var framer = new LineFramer(_options.MaxLineBytes);
        var batch = new EventBatch(_welcome);
        Exception? failure = null;
        try
        {
            while (true)
            {
                var read = await _socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token).ConfigureAwait(false);
                if (read == 0)
                    break;

                framer.Feed(buffer.AsSpan(0, read), batch);
                foreach (var relayEvent in batch.Events)
                    await _events.Writer.WriteAsync(relayEvent, _stop.Token).ConfigureAwait(false);
                batch.Events.Clear();
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }
        catch (Exception error) when (error is SocketException or ObjectDisposedException)
        {
            if (!_stop.IsCancellationRequested)
                failure = new RelayConnectionException($"connection lost: {error.Message}", error);
        }
        finally
        {
            framer.Dispose();
            ArrayPool<byte>.Shared.Return(buffer);
            _welcome.TrySetException(new InvalidDataException("the server closed the connection before sending YOUR_ID"));
            _events.Writer.TryComplete(failure);
        }
    }

    /// <summary>Turns framed lines into events; the first <c>YOUR_ID</c> completes the handshake.</summary>
    private sealed class EventBatch(TaskCompletionSource<long> welcome) : ILineSink
    {
        public List<RelayEvent> Events { get; } = new();

        public void OnLine(ReadOnlySpan<byte> line)
        {
            var parsed = ServerLine.Parse(line);
            switch (parsed.Kind)
            {
                case ServerLineKind.From:
                    Events.Add(new MessageReceived(parsed.Id, Encoding.UTF8.GetString(parsed.Text)));
                    break;
                case ServerLineKind.Error:
                    Events.Add(new ErrorReceived(
                        Encoding.UTF8.GetString(parsed.Code),
                        Wire.TryParseCode(parsed.Code, out var code) ? code : null,
                        Encoding.UTF8.GetString(parsed.Text)));
                    break;
                case ServerLineKind.Pong:
                    Events.Add(PongReceived.Instance);
                    break;
                case ServerLineKind.Reconnect:
                    Events.Add(new ReconnectRequested(Encoding.UTF8.GetString(parsed.Text)));
                    break;
                case ServerLineKind.YourId when welcome.TrySetResult(parsed.Id):
                    break;
                default:
                    Events.Add(new UnknownLine(Encoding.UTF8.GetString(line)));
                    break;
            }
        }

        public void OnLineTooLong() =>
            Events.Add(new UnknownLine("(a line longer than the client's limit was skipped)"));
    }
}
