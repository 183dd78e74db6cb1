using Akka.Actor;
using Relay.Actors.Fanout;
using Relay.Actors.Registry;
using Relay.Protocol;
using Route = Relay.Actors.Registry.Route;

namespace Relay.Actors.Session;

/// <summary>Routing of <c>TO:</c> lines, and the barriers that order PONG and close after earlier replies.</summary>
public sealed partial class ClientSession
{
    private readonly BarrierQueue _barriers = new();
    // Envelopes and barriers waiting, in order, behind a block whose owner a majority is asked for.
    private readonly Queue<object> _held = new();
    private readonly LineBatch _localLines = new();
    private readonly BlockBatches _remoteLines = new();
    private int _remoteLinesUnconfirmed;

    /// <summary>Relays one parsed <c>TO:</c> line.</summary>
    private void Relay(long targetId, ReadOnlySpan<byte> payload)
    {
        // A client of this node gets the line straight into this chunk's batch for it: no
        // envelope, no registry, one message per chunk. Held lines keep their turn, though.
        if (_held.Count == 0 && _services.Local.TryGet(targetId, out var inbox))
        {
            if (inbox.TryReserve(ServerLines.FromLength(_clientId, payload.Length)))
                ServerLines.From(_localLines.For(inbox.Connection), _clientId, payload);
            else
                ServerLines.UnknownTarget(Refuse(ErrorCode.UnknownTarget), targetId);
            return;
        }

        var block = _services.Blocks.BlockOf(targetId);
        if (_held.Count == 0)
        {
            switch (_services.Routes.RouteTo(block))
            {
                case Route.Deliverable:
                    // A client of another node: into this chunk's batch for its block.
                    BatchEntries.Write(_remoteLines.For(block), targetId, payload);
                    _barriers.Touched(block);
                    _remoteLinesUnconfirmed++;
                    return;
                case Route.ThisNode or Route.OwnerGone:
                    // Not connected here, or its node is gone: answered without queueing anything,
                    // so a flood of lines for a departed client costs the node nothing but replies.
                    ServerLines.UnknownTarget(Refuse(ErrorCode.UnknownTarget), targetId);
                    return;
            }
        }

        RouteEnvelope(new RelayEnvelope(_clientId, targetId, payload.ToArray()));
    }

    /// <summary>Routes an envelope the fast paths of <see cref="Relay"/> could not take (or a <c>TOACK:</c>).</summary>
    private void RouteEnvelope(ITargetedEnvelope envelope)
    {
        if (_held.Count > 0)
        {
            _held.Enqueue(envelope);
            return;
        }

        var block = _services.Blocks.BlockOf(envelope.TargetId);
        var route = _services.Routes.RouteTo(block);
        if (route == Route.Unknown)
        {
            _held.Enqueue(envelope);
            _services.LeaseDirectory.Tell(new ResolveBlock(block), _self);
            return;
        }

        Dispatch(envelope, block, route);
    }

    private void Dispatch(ITargetedEnvelope envelope, long block, Route route)
    {
        if (_services.Local.TryGet(envelope.TargetId, out var inbox))
        {
            if (inbox.TryReserve(ServerLines.FromLength(envelope.SenderId, envelope.Payload.Length)))
                inbox.Connection.Tell(envelope, ActorRefs.NoSender);
            else
                Refuse(envelope);
        }
        else if (route == Route.Deliverable)
        {
            _services.Registry.Tell(envelope, _self);
            _barriers.Touched(block);
            _remoteLinesUnconfirmed++;
        }
        else
        {
            Refuse(envelope);
        }
    }

    /// <summary>The target is not connected (or not reading): the sender hears so at once.</summary>
    private void Refuse(ITargetedEnvelope envelope)
    {
        if (envelope is AckedEnvelope acked)
            OnReceiptFailed(acked.ReceiptId, ReceiptFailure.UnknownTarget);
        else
            ServerLines.UnknownTarget(Refuse(ErrorCode.UnknownTarget), envelope.TargetId);
    }

    /// <summary>
    /// A majority told the directory what it knows; send what waited. Everything held was read from
    /// the client before that read began (reading stops while anything is held), so any id the
    /// client could have known then was leased before it, and the read saw that lease: a block it
    /// still does not know was never leased, and every held line is answered from this one read.
    /// </summary>
    private void ReleaseHeld()
    {
        while (_held.TryDequeue(out var item))
        {
            if (item is ITargetedEnvelope envelope)
            {
                var block = _services.Blocks.BlockOf(envelope.TargetId);
                var route = _services.Routes.RouteTo(block);
                Dispatch(envelope, block, route == Route.Unknown ? Route.OwnerGone : route);
            }
            else
            {
                SendBarrier((BarrierPurpose)item);
            }
        }
    }

    private void StartBarrier(BarrierPurpose purpose)
    {
        if (_held.Count > 0)
            _held.Enqueue(purpose);
        else
            SendBarrier(purpose);
    }

    private void SendBarrier(BarrierPurpose purpose)
    {
        // The barrier must follow the lines batched so far, never overtake them.
        DeliverBatches();
        var wasWaiting = _barriers.IsWaiting;
        var (token, blocks) = _barriers.Start(purpose);
        foreach (var block in blocks)
        {
            if (block == FanoutActor.BarrierBlock)
                _services.Fanout.Tell(new FanoutBarrier(token), _self);
            else
                _services.Registry.Tell(new BlockBarrier(block, token), _self);
        }
        if (!wasWaiting)
            _timers.Start(SessionTimer.Barrier, _settings.BarrierTimeout);
        CompleteBarriers();
    }

    private void CompleteBarriers()
    {
        var completedAny = false;
        while (_barriers.TryComplete(out var purpose))
        {
            completedAny = true;
            if (purpose == BarrierPurpose.Ping)
            {
                if (IsAnswering)
                    Pong();
            }
            else if (purpose == BarrierPurpose.Drain && _state == SessionState.Draining)
            {
                _drained = true;
                _timers.Start(SessionTimer.Drain, _settings.BarrierTimeout);
            }
        }

        // The timer always measures the oldest barrier's wait.
        if (!_barriers.IsWaiting)
            _timers.Cancel(SessionTimer.Barrier);
        else if (completedAny)
            _timers.Start(SessionTimer.Barrier, _settings.BarrierTimeout);
    }

    /// <summary>
    /// What the lines read so far relayed goes out now: one message per local target, one per
    /// remote block, one to the fan-out actor.
    /// </summary>
    private void DeliverBatches()
    {
        _localLines.Deliver();
        var batches = _remoteLines.Deliver(_services.Registry, _clientId, _self);
        if (batches > 0)
            _services.Counters.CountCrossNodeBatches(batches);
        PublishFanout();
    }

    /// <summary>
    /// Flow control towards other nodes: nothing there answers a delivered line, so every window of
    /// lines is followed by a barrier, and reading waits while the previous window's is unanswered.
    /// A sender can therefore have at most two windows of lines (and of their replies) in flight at
    /// other nodes, however fast it writes (and two windows of broadcasts and room messages in the
    /// fan-out actors); a dead node's barrier times out like any other.
    /// </summary>
    /// <returns>True when reading may go on.</returns>
    private bool ConfirmRemoteLines()
    {
        if ((_remoteLinesUnconfirmed >= _settings.RemoteWindowLines || _fanoutUnconfirmed >= _settings.FanoutWindowMessages) && _held.Count == 0)
        {
            _remoteLinesUnconfirmed = 0;
            _fanoutUnconfirmed = 0;
            SendBarrier(BarrierPurpose.Flow);
        }

        return _barriers.PendingOf(BarrierPurpose.Flow) <= 1;
    }
}
