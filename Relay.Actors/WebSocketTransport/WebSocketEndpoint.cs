using System.Net.WebSockets;
using Akka;
using Akka.Actor;
using Akka.Event;
using Relay.Actors.Session;
using Relay.Actors.TcpTransport;

namespace Relay.Actors.WebSocketTransport;

/// <summary>
/// A WebSocket the HTTP server accepted, to be served as a client until it closes.
/// <paramref name="Done"/> completes when the client has gone (the HTTP request may end then).
/// </summary>
/// <param name="Socket">The accepted WebSocket.</param>
/// <param name="Remote">The client's address (host:port).</param>
/// <param name="Done">Completed when the socket is no longer served.</param>
public sealed record ServeWebSocket(WebSocket Socket, string Remote, TaskCompletionSource Done);

/// <summary>
/// The parent of the node's WebSocket clients: gives each accepted socket its own
/// <see cref="WebSocketClientActor"/>, up to <see cref="WebSocketSettings.MaxClients"/>, and on the
/// node's leave tells them to reconnect elsewhere before the HTTP server stops.
/// </summary>
internal sealed class WebSocketEndpoint : ReceiveActor, IWithTimers
{
    private const string LeaveDeadline = "leave-deadline";

    private readonly NodeServices _services;
    private readonly RelaySettings _settings;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    // Refusals since the node became full: logged when it becomes full and when it accepts again, not each.
    private long _refused;

    public WebSocketEndpoint(NodeServices services, RelaySettings settings)
    {
        _services = services;
        _settings = settings;
        Receive<ServeWebSocket>(Serve);
        Receive<StopListening>(stop => Leave(stop.Within, Sender));
    }

    /// <summary>Set by Akka before PreStart.</summary>
    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>Props for the node's WebSocket endpoint.</summary>
    public static Props Props(NodeServices services, RelaySettings settings) =>
        Akka.Actor.Props.Create(() => new WebSocketEndpoint(services, settings));

    /// <summary>Children are clients: one that fails is stopped (its socket closed), never restarted.</summary>
    protected override SupervisorStrategy SupervisorStrategy() => Akka.Actor.SupervisorStrategy.StoppingStrategy;

    private void Serve(ServeWebSocket serve)
    {
        if (Context.GetChildren().Count() >= _settings.WebSocket.MaxClients)
        {
            if (_refused++ == 0)
                _log.Warning("relay.websocket.max-clients ({0}) WebSocket clients are connected: refusing new ones", _settings.WebSocket.MaxClients);
            _ = RefuseAsync(serve, WebSocketCloseStatus.PolicyViolation, "SERVER_FULL: too many WebSocket clients");
            return;
        }

        if (_refused > 0)
        {
            _log.Warning("Accepting WebSocket clients again; {0} were refused while full", _refused);
            _refused = 0;
        }

        Context.ActorOf(WebSocketClientActor.Props(serve.Socket, serve.Remote, _services, _settings.Connection, serve.Done));
    }

    private void Leave(TimeSpan within, IActorRef requester)
    {
        var clients = Context.GetChildren().ToHashSet();
        foreach (var client in clients)
        {
            Context.Watch(client);
            client.Tell(NodeLeaving.Instance);
        }

        Become(() =>
        {
            Receive<ServeWebSocket>(serve => _ = RefuseAsync(serve, WebSocketCloseStatus.EndpointUnavailable, "RECONNECT: this node is leaving"));
            Receive<Terminated>(terminated =>
            {
                if (clients.Remove(terminated.ActorRef) && clients.Count == 0)
                    Finish();
            });
            Receive<LeaveTimedOut>(_ =>
            {
                _log.Warning("{0} WebSocket clients still connected after {1}; closing them", clients.Count, within);
                foreach (var client in clients)
                    Context.Stop(client);
                Finish();
            });
        });

        void Finish()
        {
            Timers.Cancel(LeaveDeadline);
            requester.Tell(Done.Instance);
        }

        if (clients.Count == 0)
            Finish();
        else
            Timers.StartSingleTimer(LeaveDeadline, LeaveTimedOut.Instance, within);
    }

    private static async Task RefuseAsync(ServeWebSocket serve, WebSocketCloseStatus status, string reason)
    {
        try
        {
            await serve.Socket.CloseAsync(status, reason, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (Exception error) when (error is WebSocketException or TimeoutException or OperationCanceledException)
        {
            serve.Socket.Abort();
        }
        finally
        {
            serve.Done.TrySetResult();
        }
    }

    private sealed record LeaveTimedOut
    {
        public static readonly LeaveTimedOut Instance = new();
    }
}
