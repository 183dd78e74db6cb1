using System.Buffers;
using System.Diagnostics.CodeAnalysis;
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

    /// <summary>
    /// Sends <paramref name="text"/> to <paramref name="targetId"/> with a delivery receipt
    /// (<c>TOACK:</c>): a <see cref="DeliveryConfirmed"/> or <see cref="DeliveryFailed"/> carrying
    /// <paramref name="reference"/> follows. The reference is the caller's own; the server does not
    /// interpret it.
    /// </summary>
    /// <exception cref="ArgumentException">The reference is not a valid name (see <see cref="Names"/>) or the text contains a line break.</exception>
    public ValueTask SendWithReceiptAsync(string reference, long targetId, string text, CancellationToken cancellation = default)
    {
        var referenceBytes = NameBytes(reference, nameof(reference));
        return WriteTextAsync(text, (output, utf8) => ClientLines.ToAck(output, referenceBytes, targetId, utf8), cancellation);
    }

    /// <summary>Sends <paramref name="text"/> to every other client of the cluster (<c>ALL:</c>).</summary>
    /// <exception cref="ArgumentException">The text contains a line break.</exception>
    public ValueTask BroadcastAsync(string text, CancellationToken cancellation = default) =>
        WriteTextAsync(text, ClientLines.All, cancellation);

    /// <summary>Joins <paramref name="room"/> (<c>JOIN:</c>); a <see cref="CommandConfirmed"/> follows, or an error.</summary>
    /// <exception cref="ArgumentException">The room is not a valid name (see <see cref="Names"/>).</exception>
    public ValueTask JoinAsync(string room, CancellationToken cancellation = default)
    {
        var name = NameBytes(room, nameof(room));
        return WriteAsync(output => ClientLines.Join(output, name), cancellation);
    }

    /// <summary>Leaves <paramref name="room"/> (<c>LEAVE:</c>); a <see cref="CommandConfirmed"/> follows, or <c>NOT_MEMBER</c>.</summary>
    /// <exception cref="ArgumentException">The room is not a valid name (see <see cref="Names"/>).</exception>
    public ValueTask LeaveAsync(string room, CancellationToken cancellation = default)
    {
        var name = NameBytes(room, nameof(room));
        return WriteAsync(output => ClientLines.Leave(output, name), cancellation);
    }

    /// <summary>Sends <paramref name="text"/> to the other members of <paramref name="room"/>, which this client must have joined (<c>ROOM:</c>).</summary>
    /// <exception cref="ArgumentException">The room is not a valid name or the text contains a line break.</exception>
    public ValueTask RoomAsync(string room, string text, CancellationToken cancellation = default)
    {
        var name = NameBytes(room, nameof(room));
        return WriteTextAsync(text, (output, utf8) => ClientLines.Room(output, name, utf8), cancellation);
    }

    /// <summary>
    /// Asks for the rooms that have members (<c>ROOMS</c>); a <see cref="RoomList"/> follows. Give the last
    /// room of a page with <see cref="RoomList.More"/> as <paramref name="after"/> for the next page.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="after"/> is not a valid name.</exception>
    public ValueTask RoomsAsync(string? after = null, CancellationToken cancellation = default)
    {
        var afterBytes = after is null ? null : NameBytes(after, nameof(after));
        return WriteAsync(output => ClientLines.Rooms(output, afterBytes), cancellation);
    }

    /// <summary>
    /// Asks for the members of <paramref name="room"/> (<c>MEMBERS:</c>); a <see cref="RoomMembers"/> follows.
    /// Give the last id of a page with <see cref="RoomMembers.More"/> as <paramref name="after"/> for the next page.
    /// </summary>
    /// <exception cref="ArgumentException">The room is not a valid name, or <paramref name="after"/> is not positive.</exception>
    public ValueTask MembersAsync(string room, long? after = null, CancellationToken cancellation = default)
    {
        var name = NameBytes(room, nameof(room));
        var afterId = PageStart(after);
        return WriteAsync(output => ClientLines.Members(output, name, afterId), cancellation);
    }

    /// <summary>
    /// Asks who is online in the cluster (<c>WHO</c>); an <see cref="OnlineList"/> follows. Give the last id
    /// of a page with <see cref="OnlineList.More"/> as <paramref name="after"/> for the next page.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="after"/> is not positive.</exception>
    public ValueTask WhoAsync(long? after = null, CancellationToken cancellation = default)
    {
        var afterId = PageStart(after);
        return WriteAsync(output => ClientLines.Who(output, afterId), cancellation);
    }

    /// <summary>
    /// Starts (<c>WATCH:ON</c>) or stops (<c>WATCH:OFF</c>) presence events: a <see cref="CommandConfirmed"/>
    /// follows, then a <see cref="ClientJoined"/> or <see cref="ClientLeft"/> whenever a client of the cluster
    /// connects or leaves.
    /// </summary>
    public ValueTask WatchAsync(bool on, CancellationToken cancellation = default) =>
        WriteAsync(output => ClientLines.Watch(output, on), cancellation);

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

    /// <summary>The UTF-8 of a room name or reference, checked against the naming rule.</summary>
    private static byte[] NameBytes(string name, string parameter)
    {
        ArgumentNullException.ThrowIfNull(name, parameter);
        var bytes = Encoding.UTF8.GetBytes(name);
        if (!Names.IsValid(bytes))
            throw new ArgumentException($"'{name}' is not a valid name: {Encoding.ASCII.GetString(Names.Rule)}", parameter);
        return bytes;
    }

    /// <summary>The <c>after</c> of a WHO or MEMBERS page as <see cref="ClientLines"/> takes it: 0 for the first page.</summary>
    private static long PageStart(long? after) => after switch
    {
        null => 0,
        > 0 => after.Value,
        _ => throw new ArgumentOutOfRangeException(nameof(after), after, "a page starts after a positive id"),
    };

    /// <summary>Encodes a one-line <paramref name="text"/> as UTF-8 and writes the line <paramref name="write"/> makes of it.</summary>
    private async ValueTask WriteTextAsync(string text, TextLine write, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.AsSpan().ContainsAny('\n', '\r'))
            throw new ArgumentException("A message is one line: it cannot contain a line break.", nameof(text));

        var utf8 = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(text.Length));
        try
        {
            var length = Encoding.UTF8.GetBytes(text, utf8);
            await WriteAsync(output => write(output, utf8.AsSpan(0, length)), cancellation).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(utf8);
        }
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

    private delegate void TextLine(ArrayBufferWriter<byte> output, ReadOnlySpan<byte> utf8);

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
                case ServerLineKind.Broadcast:
                    Events.Add(new BroadcastReceived(parsed.Id, Encoding.UTF8.GetString(parsed.Text)));
                    break;
                case ServerLineKind.Room:
                    Events.Add(new RoomMessageReceived(Encoding.UTF8.GetString(parsed.Name), parsed.Id, Encoding.UTF8.GetString(parsed.Text)));
                    break;
                case ServerLineKind.Ok:
                    Events.Add(new CommandConfirmed(Encoding.UTF8.GetString(parsed.Name), Encoding.UTF8.GetString(parsed.Text)));
                    break;
                case ServerLineKind.Joined:
                    Events.Add(new ClientJoined(parsed.Id));
                    break;
                case ServerLineKind.Left:
                    Events.Add(new ClientLeft(parsed.Id));
                    break;
                case ServerLineKind.Delivered:
                    Events.Add(new DeliveryConfirmed(Encoding.UTF8.GetString(parsed.Name)));
                    break;
                case ServerLineKind.Who when TryParseIds(parsed.Text, out var ids):
                    Events.Add(new OnlineList(parsed.Id, ids, parsed.More));
                    break;
                case ServerLineKind.Members when TryParseIds(parsed.Text, out var ids):
                    Events.Add(new RoomMembers(Encoding.UTF8.GetString(parsed.Name), parsed.Id, ids, parsed.More));
                    break;
                case ServerLineKind.Rooms when TryParseRooms(parsed.Text, out var rooms):
                    Events.Add(new RoomList(rooms, parsed.More));
                    break;
                case ServerLineKind.Error when parsed.Code.SequenceEqual(Wire.CodeOf(ErrorCode.NotDelivered))
                                               && TrySplitReceiptFailure(parsed.Text, out var failure):
                    Events.Add(failure);
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

        // <id>,<id>,… (empty for none), as WHO and MEMBERS pages carry them.
        private static bool TryParseIds(ReadOnlySpan<byte> items, out IReadOnlyList<long> ids)
        {
            var list = new List<long>();
            ids = list;
            if (items.IsEmpty)
                return true;
            foreach (var range in items.Split(Wire.Comma))
            {
                if (!CommandParser.TryParseId(items[range], out var id))
                    return false;
                list.Add(id);
            }

            return true;
        }

        // <room>=<members>,… (empty for none), as ROOMS pages carry them.
        private static bool TryParseRooms(ReadOnlySpan<byte> items, out IReadOnlyList<(string Name, long Members)> rooms)
        {
            var list = new List<(string Name, long Members)>();
            rooms = list;
            if (items.IsEmpty)
                return true;
            foreach (var range in items.Split(Wire.Comma))
            {
                var item = items[range];
                var equals = item.LastIndexOf(Wire.EqualsSign);
                if (equals <= 0 || !CommandParser.TryParseId(item[(equals + 1)..], out var members))
                    return false;
                list.Add((Encoding.UTF8.GetString(item[..equals]), members));
            }

            return true;
        }

        // <ref>:<CAUSE>:<text>, the text of an ERROR:NOT_DELIVERED line.
        private static bool TrySplitReceiptFailure(ReadOnlySpan<byte> text, [NotNullWhen(true)] out DeliveryFailed? failure)
        {
            failure = null;
            var first = text.IndexOf(Wire.Colon);
            if (first <= 0)
                return false;
            var rest = text[(first + 1)..];
            var second = rest.IndexOf(Wire.Colon);
            if (second <= 0)
                return false;
            failure = new DeliveryFailed(
                Encoding.UTF8.GetString(text[..first]), Encoding.UTF8.GetString(rest[..second]), Encoding.UTF8.GetString(rest[(second + 1)..]));
            return true;
        }
    }
}
