using System.Buffers;
using System.Net.WebSockets;
using Akka.Actor;
using Akka.Event;
using Akka.IO;
using Relay.Actors.Session;
using Relay.Protocol;

namespace Relay.Actors.WebSocketTransport;

/// <summary>
/// One WebSocket client (e.g. the dashboard's browser chat) as a thin shell around its
/// <see cref="ClientSession"/>: each message in is one JSON object, each line out one message.
/// Reads are pulled as the session asks; one send is in flight at a time, as over TCP.
/// </summary>
/// <remarks>
/// A message reaches the session as the line it is: its fragments as they arrive, then the line's
/// end, so the session's line limit bounds a message as it bounds a TCP line (longer ones get
/// TOO_LONG and are skipped, never buffered whole). A raw CR or LF in a message becomes a tab:
/// outside a JSON string both are whitespace, and inside one all three are invalid, so a valid
/// object keeps its meaning and an invalid one stays invalid, but no message can split into two.
/// </remarks>
internal sealed class WebSocketClientActor : ReceiveActor, IWithTimers, ISessionTransport
{
    private const int ReadBytes = 8192;
    private static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(5);

    private readonly WebSocket _socket;
    private readonly string _remote;
    private readonly NodeServices _services;
    private readonly ConnectionSettings _settings;
    private readonly TaskCompletionSource _done;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    // One more byte than a read takes: room for the line end after a message's last fragment.
    private readonly byte[] _readBuffer = ArrayPool<byte>.Shared.Rent(ReadBytes + 1);
    private readonly CancellationTokenSource _aborted = new();
    private ClientSession _session = null!;
    private bool _closed;

    public WebSocketClientActor(WebSocket socket, string remote, NodeServices services, ConnectionSettings settings, TaskCompletionSource done)
    {
        _socket = socket;
        _remote = remote;
        _services = services;
        _settings = settings;
        _done = done;

        Receive<Read>(OnRead);
        Receive<Sent>(_ => _session.OnWriteCompleted());
        Receive<Failed>(failed =>
        {
            _log.Debug("WebSocket client at {0}: {1}", _remote, failed.Cause.Message);
            Context.Stop(Self);
        });
        Receive<Closed>(_ => Context.Stop(Self));
        ReceiveAny(message =>
        {
            if (!_session.Handle(message))
                Unhandled(message);
        });
    }

    /// <summary>Set by Akka before PreStart.</summary>
    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>Props for the actor that serves <paramref name="socket"/>; <paramref name="done"/> completes when it has stopped.</summary>
    public static Props Props(WebSocket socket, string remote, NodeServices services, ConnectionSettings settings, TaskCompletionSource done) =>
        Akka.Actor.Props.Create(() => new WebSocketClientActor(socket, remote, services, settings, done))
            .WithDispatcher(TcpTransport.ConnectionActor.Dispatcher);

    protected override void PreStart()
    {
        _session = new ClientSession(
            Self, _remote, ClientTransport.WebSocket, _services, _settings, this, new ActorSessionTimers(Timers), Context.GetLogger());
        _session.UseMessages();
        _session.Start();
    }

    protected override void PostStop()
    {
        _session.Dispose();
        if (!_closed)
            _socket.Abort();
        _aborted.Cancel();
        _aborted.Dispose();
        ArrayPool<byte>.Shared.Return(_readBuffer);
        _done.TrySetResult();
    }

    void ISessionTransport.RequestInput()
    {
        var self = Self;
        _socket.ReceiveAsync(_readBuffer.AsMemory(0, ReadBytes), _aborted.Token).AsTask().ContinueWith(
            received => self.Tell(received.IsCompletedSuccessfully ? new Read(received.Result) : new Failed(received.Exception?.GetBaseException() ?? new OperationCanceledException())),
            TaskContinuationOptions.ExecuteSynchronously);
    }

    void ISessionTransport.Write(ByteString data)
    {
        var self = Self;
        SendLinesAsync(data).ContinueWith(
            sent => self.Tell(sent.IsCompletedSuccessfully ? Sent.Instance : new Failed(sent.Exception?.GetBaseException() ?? new OperationCanceledException())),
            TaskContinuationOptions.ExecuteSynchronously);
    }

    void ISessionTransport.Close()
    {
        _closed = true;
        var self = Self;
        // The close handshake waits for the client's answer; one that never answers is cut off.
        var patience = new CancellationTokenSource(CloseHandshakeTimeout);
        _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, patience.Token).ContinueWith(
            _ =>
            {
                patience.Dispose();
                self.Tell(Closed.Instance);
            },
            TaskContinuationOptions.ExecuteSynchronously);
    }

    void ISessionTransport.Abort() => Context.Stop(Self);

    private void OnRead(Read read)
    {
        var result = read.Result;
        if (result.MessageType == WebSocketMessageType.Close)
        {
            _session.OnEndOfInput();
            return;
        }

        var chunk = _readBuffer.AsSpan(0, result.Count);
        chunk.Replace(Wire.LineFeed, (byte)'\t');
        chunk.Replace(Wire.CarriageReturn, (byte)'\t');
        if (result.EndOfMessage)
        {
            _readBuffer[result.Count] = Wire.LineFeed;
            chunk = _readBuffer.AsSpan(0, result.Count + 1);
        }

        _session.OnInput(chunk);
    }

    /// <summary>Each line of <paramref name="data"/> (one JSON object) as one text message, in order.</summary>
    private async Task SendLinesAsync(ByteString data)
    {
        // Browser chat is light traffic next to TCP: one copy per write keeps this simple.
        ReadOnlyMemory<byte> rest = data.ToArray();
        while (!rest.IsEmpty)
        {
            var end = rest.Span.IndexOf(Wire.LineFeed);
            var message = end < 0 ? rest : rest[..end];
            await _socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, _aborted.Token).ConfigureAwait(false);
            rest = end < 0 ? ReadOnlyMemory<byte>.Empty : rest[(end + 1)..];
        }
    }

    private sealed record Read(ValueWebSocketReceiveResult Result);

    private sealed record Failed(Exception Cause);

    private sealed record Sent
    {
        public static readonly Sent Instance = new();
    }

    private sealed record Closed
    {
        public static readonly Closed Instance = new();
    }
}
