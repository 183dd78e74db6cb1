using Akka.Event;
using Relay.Protocol;

namespace Relay.Actors.Session;

/// <summary>How a session ends: QUIT or end of input, the node leaving, a slow consumer, the transport closing.</summary>
public sealed partial class ClientSession
{
    // Every line before QUIT (or the end of input) has been answered: close once the deliveries
    // already reserved for the client, and the receipts it awaits, are out too.
    private bool _drained;

    /// <summary>QUIT or end of input: no more lines; close once every earlier line is answered.</summary>
    private void BeginDraining()
    {
        _state = SessionState.Draining;
        _timers.Cancel(SessionTimer.PartialLine);
        _timers.Cancel(SessionTimer.Idle);
        StopDeliveries();
        StartBarrier(BarrierPurpose.Drain);
    }

    /// <summary>
    /// The node is leaving: RECONNECT; then the client's lines are still read and answered until it
    /// sends QUIT or ends its input, so a client that does gets an answer to every line it sent
    /// (docs/protocol.md, "Closing"), or until <c>relay.connection.reconnect-grace</c>.
    /// Others' messages for it get UNKNOWN_TARGET from now on.
    /// </summary>
    private void Leave()
    {
        switch (_state)
        {
            case SessionState.Registering:
                Abort();
                return;
            case SessionState.Relaying or SessionState.Authenticating:
                StopDeliveries();
                _timers.Cancel(SessionTimer.Idle);
                ServerLines.Reconnect(_output.Replies);
                if (_state == SessionState.Relaying && !OverDatagrams && _settings.ReconnectGrace > TimeSpan.Zero)
                    _timers.Start(SessionTimer.ReconnectGrace, _settings.ReconnectGrace);
                else
                    CloseAfterReconnect();
                return;
            default:
                // Draining (the client quit) or closing already: its close follows its answers.
                return;
        }
    }

    /// <summary>After RECONNECT the client neither quit nor ended its input in time: nothing more is read.</summary>
    private void CloseAfterReconnect()
    {
        // Lines already queued for the client still go out, so the receipts owed for them are
        // sent as the socket takes them (Shutdown fails what it never took). The receipts the
        // client awaits are forgotten: its connection ends before they could be written.
        ForgetAwaitedReceipts();
        _state = SessionState.Closing;
    }

    /// <summary>The client sent no command within the idle timeout: say so, then close.</summary>
    private void CloseIdle()
    {
        _log.Info(
            "Client {0} at {1} sent no command within relay.connection.idle-timeout ({2}); closing it",
            _clientId, _peer, _settings.IdleTimeout);
        StopDeliveries();
        ServerLines.IdleTimeout(Refuse(ErrorCode.IdleTimeout), _settings.IdleTimeout!.Value);
        _state = SessionState.Closing;
    }

    private void DisconnectSlowConsumer()
    {
        if (_state == SessionState.Closed)
            return;
        _log.Warning(
            "Client {0} at {1} is not reading: {2} bytes queued for it, over relay.connection.max-outbound-bytes ({3}); disconnecting it",
            _clientId, _peer, _output.QueuedBytes, _settings.MaxOutboundBytes);
        _services.Counters.CountSlowConsumer();
        Abort();
    }

    private void Abort()
    {
        Shutdown();
        _transport.Abort();
    }

    /// <summary>Others' messages now get UNKNOWN_TARGET, as for a client that left; it leaves its rooms.</summary>
    private void StopDeliveries()
    {
        _output.Inbox.Close();
        if (_clientId != 0 && _services.Local.Remove(_clientId, _output.Inbox))
            _services.Counters.CountDisconnected(Activity.Transport);
        GoOffline();
    }

    private void Shutdown()
    {
        if (_state == SessionState.Closed)
            return;
        _state = SessionState.Closed;
        StopDeliveries();
        DropReceipts();
        _held.Clear();
        _timers.Cancel(SessionTimer.PartialLine);
        _timers.Cancel(SessionTimer.Barrier);
        _timers.Cancel(SessionTimer.Register);
        _timers.Cancel(SessionTimer.Drain);
        _timers.Cancel(SessionTimer.Idle);
    }
}
