using System.Buffers;
using System.Net.Sockets;
using System.Threading.Channels;
using Relay.Protocol;
using Relay.Protocol.Json;

namespace Relay.Client;

/// <summary>
/// A connection to a RelayChat node: learn your id, send messages, read what arrives. It speaks text
/// or JSON (<see cref="RelayClientOptions.Protocol"/>) over TCP or UDP
/// (<see cref="RelayClientOptions.Transport"/>); the methods and events are the same in every mode.
/// </summary>
/// <remarks>
/// Sends are safe from several threads at once. Incoming lines are read by one background loop
/// into a bounded buffer that <see cref="ReadAllAsync"/> drains; the loop ends, and the stream
/// completes, when the server closes the connection, <see cref="QuitAsync"/> ends a UDP session, the
/// node has lost a UDP session (<see cref="SessionLost"/>), or <see cref="DisposeAsync"/> is called.
/// </remarks>
public sealed partial class RelayClient : IAsyncDisposable
{
    private readonly RelayLink _link;
    private readonly RelayClientOptions _options;
    private readonly Channel<RelayEvent> _events;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly ArrayBufferWriter<byte> _sendBuffer = new(256);
    // The JSON object of each text line built in _sendBuffer; null in text.
    private readonly ArrayBufferWriter<byte>? _jsonBuffer;
    private readonly Handshake _handshake;
    // A client that only listens says nothing else: the node would take it for gone (UDP) or for a
    // connection that never speaks (TCP).
    private readonly KeepAlive _keepAlive;
    private readonly CancellationTokenSource _stop = new();
    private ArrayBufferWriter<byte>? _padBuffer;
    private Task _readLoop = Task.CompletedTask;
    private Task _keepAliveLoop = Task.CompletedTask;
    private volatile bool _quit;
    private int _disposed;

    private RelayClient(RelayClientOptions options)
    {
        _options = options;
        var udp = options.Transport == RelayTransport.Udp;
        _link = udp ? new UdpLink() : new TcpLink(options.MaxLineBytes);
        _jsonBuffer = options.Protocol == RelayProtocol.Json ? new ArrayBufferWriter<byte>(256) : null;
        _handshake = new Handshake(options);
        _keepAlive = new KeepAlive(udp ? options.KeepAliveInterval : options.TcpKeepAliveInterval, byReference: _jsonBuffer is not null);
        _events = Channel.CreateBounded<RelayEvent>(new BoundedChannelOptions(options.EventBufferCapacity)
        {
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>The id the server assigned to this client.</summary>
    public long Id { get; private set; }

    private bool OverUdp => _options.Transport == RelayTransport.Udp;

    /// <summary>Completes when the connection has ended; faults with the reason if it broke.</summary>
    public Task Completion => _events.Reader.Completion;

    /// <summary>
    /// Connects and waits for the server's <c>YOUR_ID</c> line: over TCP it comes on connect (in JSON,
    /// the client then sends its first object and waits for the JSON hello); over UDP the client sends
    /// <c>HELLO</c> and repeats it until answered or <see cref="RelayClientOptions.HelloAttempts"/> are spent.
    /// </summary>
    /// <exception cref="RelayConnectionException">The node cannot be reached or is not a RelayChat node.</exception>
    public static async Task<RelayClient> ConnectAsync(
        string host, int port, RelayClientOptions? options = null, CancellationToken cancellation = default)
    {
        options ??= RelayClientOptions.Default;
        var client = new RelayClient(options);
        try
        {
            if (options.Transport == RelayTransport.Udp)
                await client.GreetOverUdpAsync(host, port, cancellation).ConfigureAwait(false);
            else
                await client.GreetOverTcpAsync(host, port, cancellation).ConfigureAwait(false);
            return client;
        }
        catch (Exception error) when (error is SocketException or OperationCanceledException or InvalidDataException or IOException or TimeoutException)
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

    /// <summary>What the server sends, in order, until the connection ends.</summary>
    public IAsyncEnumerable<RelayEvent> ReadAllAsync(CancellationToken cancellation = default) =>
        _events.Reader.ReadAllAsync(cancellation);

    /// <summary>Reads the next event; throws <see cref="ChannelClosedException"/> once the connection has ended.</summary>
    public ValueTask<RelayEvent> ReadAsync(CancellationToken cancellation = default) =>
        _events.Reader.ReadAsync(cancellation);

    /// <summary>Waits until an event can be read: false once the stream has ended, the reason thrown if it broke.</summary>
    internal ValueTask<bool> WaitToReadAsync(CancellationToken cancellation) =>
        _events.Reader.WaitToReadAsync(cancellation);

    /// <summary>
    /// Closes the socket and stops the read loop; over UDP a live session is ended with a <c>QUIT</c>
    /// first, as closing a TCP connection would. Safe to call more than once.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
            return;

        if (OverUdp && Id != 0 && !_quit && !_readLoop.IsCompleted)
            await QuitQuietlyAsync().ConfigureAwait(false);
        await _stop.CancelAsync().ConfigureAwait(false);
        _link.Close();
        await _readLoop.ConfigureAwait(false);
        await _keepAliveLoop.ConfigureAwait(false);
        _link.Dispose();
        _stop.Dispose();
        _sendLock.Dispose();
    }

    private async Task GreetOverTcpAsync(string host, int port, CancellationToken cancellation)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timeout.CancelAfter(_options.ConnectTimeout);
        await _link.ConnectAsync(host, port, timeout.Token).ConfigureAwait(false);
        _readLoop = ReadLoopAsync();
        if (_options.Token is { } token)
        {
            // A node with tokens says nothing before the token; then it greets in the client's protocol.
            await WriteRawAsync(output => WriteAuth(output, token, _jsonBuffer is not null), timeout.Token).ConfigureAwait(false);
            Id = await _handshake.Welcome.Task.WaitAsync(timeout.Token).ConfigureAwait(false);
            return;
        }

        Id = await _handshake.Welcome.Task.WaitAsync(timeout.Token).ConfigureAwait(false);
        if (_jsonBuffer is not null)
        {
            // The node switches a connection to JSON at its first '{' and answers with a JSON hello; a
            // first object that is itself a hello gets only that one.
            await WriteAsync(WriteHello, timeout.Token).ConfigureAwait(false);
            var id = await _handshake.JsonHello.Task.WaitAsync(timeout.Token).ConfigureAwait(false);
            if (id != Id)
                throw new InvalidDataException($"the node's JSON hello says id {id}, but YOUR_ID said {Id}");
        }

        if (_options.TcpKeepAliveInterval != Timeout.InfiniteTimeSpan)
            _keepAliveLoop = KeepAliveLoopAsync(_keepAlive);
    }

    private async Task GreetOverUdpAsync(string host, int port, CancellationToken cancellation)
    {
        await _link.ConnectAsync(host, port, cancellation).ConfigureAwait(false);
        _readLoop = ReadLoopAsync();
        for (var attempt = 1; ; attempt++)
        {
            await WriteAsync(WriteHello, cancellation).ConfigureAwait(false);
            try
            {
                Id = await _handshake.Welcome.Task.WaitAsync(_options.HelloRetryInterval, cancellation).ConfigureAwait(false);
                break;
            }
            catch (TimeoutException) when (attempt < _options.HelloAttempts)
            {
                // The HELLO or its answer was lost: say it again.
            }
            catch (TimeoutException)
            {
                throw new TimeoutException(
                    $"no answer to HELLO over UDP ({attempt} tries, {_options.HelloRetryInterval.TotalSeconds:0.#} s apart); " +
                    "is it the node's UDP port (relay-host --udp-port)?");
            }
        }

        if (_options.KeepAliveInterval != Timeout.InfiniteTimeSpan)
            _keepAliveLoop = KeepAliveLoopAsync(_keepAlive);
    }

    private static void WriteAuth(ArrayBufferWriter<byte> output, string token, bool json)
    {
        if (json)
        {
            using var writer = new System.Text.Json.Utf8JsonWriter(output);
            writer.WriteStartObject();
            writer.WriteString(JsonWire.Op, AuthRequest.Op);
            writer.WriteString(AuthRequest.TokenField, token);
            writer.WriteEndObject();
        }
        else
        {
            output.Write(AuthRequest.Prefix);
            output.Write(System.Text.Encoding.UTF8.GetBytes(token));
        }

        output.Write([Wire.LineFeed]);
    }

    private static void WriteHello(ArrayBufferWriter<byte> output)
    {
        output.Write(Wire.Hello);
        output.Write([Wire.LineFeed]);
    }

    /// <summary>
    /// Writes the text line <paramref name="write"/> makes, as it is or as its JSON object, and sends it;
    /// over UDP a list request is <paramref name="padded"/> for a whole page (see <see cref="ListRequestPadding"/>).
    /// </summary>
    private async ValueTask WriteAsync(
        Action<ArrayBufferWriter<byte>> write, CancellationToken cancellation, string? reference = null, bool padded = false)
    {
        await _sendLock.WaitAsync(cancellation).ConfigureAwait(false);
        try
        {
            _sendBuffer.ResetWrittenCount();
            write(_sendBuffer);
            var command = _sendBuffer.WrittenMemory;
            if (_jsonBuffer is not null)
            {
                _jsonBuffer.ResetWrittenCount();
                // The line without its terminator; the object comes with its own.
                if (!JsonCommands.FromText(command.Span[..^1], _jsonBuffer, reference is null ? default : System.Text.Encoding.ASCII.GetBytes(reference)))
                    throw new ArgumentException("The message is not valid UTF-8, which JSON cannot carry.");
                command = _jsonBuffer.WrittenMemory;
            }

            if (padded && OverUdp)
                command = ListRequestPadding.Pad(command, _padBuffer ??= new ArrayBufferWriter<byte>(ListRequestPadding.PaddedBytes));

            await _link.SendAsync(command, cancellation).ConfigureAwait(false);
            _keepAlive.Sent();
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Sends what <paramref name="write"/> makes as it is, in either protocol (the auth line is written for the protocol already).</summary>
    private async ValueTask WriteRawAsync(Action<ArrayBufferWriter<byte>> write, CancellationToken cancellation)
    {
        await _sendLock.WaitAsync(cancellation).ConfigureAwait(false);
        try
        {
            _sendBuffer.ResetWrittenCount();
            write(_sendBuffer);
            await _link.SendAsync(_sendBuffer.WrittenMemory, cancellation).ConfigureAwait(false);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async Task ReadLoopAsync()
    {
        var lines = new ServerLineEvents(_options, _handshake, _keepAlive);
        Exception? failure = null;
        try
        {
            while (await _link.ReceiveAsync(lines, _stop.Token).ConfigureAwait(false))
            {
                foreach (var relayEvent in lines.Events)
                    await _events.Writer.WriteAsync(relayEvent, _stop.Token).ConfigureAwait(false);
                lines.Events.Clear();
                if (lines.SessionLost)
                    break;
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed, or QUIT over UDP.
        }
        catch (Exception error) when (error is SocketException or ObjectDisposedException)
        {
            if (!_stop.IsCancellationRequested)
            {
                failure = new RelayConnectionException($"connection lost: {error.Message}", error);
                _handshake.Fail(error);
            }
        }
        finally
        {
            _handshake.Fail(new InvalidDataException("the server closed the connection before sending YOUR_ID"));
            _events.Writer.TryComplete(failure);
            // The keepalive has nothing left to keep.
            if (!_stop.IsCancellationRequested)
                await _stop.CancelAsync().ConfigureAwait(false);
        }
    }

    private async Task KeepAliveLoopAsync(KeepAlive keepAlive)
    {
        try
        {
            while (true)
            {
                var wait = keepAlive.UntilDue;
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, _stop.Token).ConfigureAwait(false);
                    continue;
                }

                keepAlive.PingSending();
                await WriteAsync(ClientLines.Ping, _stop.Token, KeepAlive.Reference).ConfigureAwait(false);
            }
        }
        catch (Exception error) when (error is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped, or the link broke: the read loop reports that.
        }
    }

    /// <summary>Over UDP nothing closes: without a QUIT the node would keep (and list) this client until its idle timeout.</summary>
    private async Task QuitQuietlyAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await WriteAsync(ClientLines.Quit, timeout.Token).ConfigureAwait(false);
            _quit = true;
        }
        catch (Exception error) when (error is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Best effort: the node's idle timeout ends the session anyway.
        }
    }
}
