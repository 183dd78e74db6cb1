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

    /// <summary>The node is leaving: RECONNECT, then close.</summary>
    private void Leave()
    {
        if (_state == SessionState.Registering)
        {
            Abort();
            return;
        }

        if (_state is SessionState.Closing or SessionState.Closed)
            return;

        StopDeliveries();
        // Lines already queued for the client still go out before RECONNECT, so the receipts owed
        // for them are sent as the socket takes them (Shutdown fails what it never took). The
        // receipts the client awaits are forgotten: RECONNECT is its last line.
        ForgetAwaitedReceipts();
        ServerLines.Reconnect(_output.Replies);
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
