using System.Diagnostics;
using Akka.Actor;
using Relay.Actors.Registry;
using Relay.Protocol;
using Route = Relay.Actors.Registry.Route;

namespace Relay.Actors.Session;

/// <summary>
/// Delivery receipts, both ends: as sender, <c>TOACK:</c> and the <c>DELIVERED</c> or
/// <c>NOT_DELIVERED</c> it is owed; as target, the receipts owed once the socket takes a line.
/// </summary>
public sealed partial class ClientSession
{
    // Sender side: receipts awaited, by the session's own number (the client's ref may repeat).
    private readonly Dictionary<long, PendingReceipt> _receipts = new();
    // Target side: receipts to send once the socket has taken every byte up to End.
    private readonly Queue<OwedReceipt> _owedReceipts = new();
    private long _lastReceipt;

    /// <summary>Relays one parsed <c>TOACK:</c> line.</summary>
    private void RelayWithReceipt(ReadOnlySpan<byte> reference, long targetId, ReadOnlySpan<byte> payload)
    {
        var receiptId = ++_lastReceipt;
        if (_receipts.Count == 0)
            _timers.Start(SessionTimer.Receipts, _settings.ReceiptTimeout);
        _receipts[receiptId] = new PendingReceipt(reference.ToArray(), targetId, Stopwatch.GetTimestamp());

        // Lines batched earlier in this chunk go first, or this one could overtake them.
        DeliverBatches();
        var envelope = new AckedEnvelope(_clientId, targetId, receiptId, _self, payload.ToArray());
        if (_held.Count == 0)
        {
            var block = _services.Blocks.BlockOf(targetId);
            var route = _services.Routes.RouteTo(block);
            if (route != Route.Unknown)
            {
                Dispatch(envelope, block, route);
                return;
            }
        }

        RouteEnvelope(envelope);
    }

    /// <summary>A malformed <c>TOACK:</c> whose reference could be read: the error carries it.</summary>
    private void RefuseReceipt(ReadOnlySpan<byte> reference, ErrorCode error) =>
        ServerLines.NotDelivered(
            Refuse(ErrorCode.NotDelivered), reference, error == ErrorCode.BadEncoding ? ReceiptFailure.BadEncoding : ReceiptFailure.BadFormat, 0);

    private void OnReceiptDelivered(long receiptId)
    {
        if (_receipts.Remove(receiptId, out var pending) && _state != SessionState.Closed)
            ServerLines.Delivered(_output.Replies, pending.Reference);
    }

    private void OnReceiptFailed(long receiptId, ReceiptFailure cause)
    {
        if (_receipts.Remove(receiptId, out var pending) && _state != SessionState.Closed)
            ServerLines.NotDelivered(Refuse(ErrorCode.NotDelivered), pending.Reference, cause, pending.TargetId);
    }

    /// <summary>Receipts that waited their full time: the target's node may be gone.</summary>
    private void ExpireReceipts()
    {
        var expired = _receipts.Where(pair => Stopwatch.GetElapsedTime(pair.Value.Sent) >= _settings.ReceiptTimeout).Select(pair => pair.Key).ToList();
        foreach (var receiptId in expired)
            OnReceiptFailed(receiptId, ReceiptFailure.Timeout);

        if (_receipts.Count > 0)
        {
            var oldest = _receipts.Values.Min(pending => pending.Sent);
            _timers.Start(SessionTimer.Receipts, _settings.ReceiptTimeout - Stopwatch.GetElapsedTime(oldest));
        }
    }

    /// <summary>Target side: a <c>TOACK:</c> line for this client, its receipt owed once the socket has it.</summary>
    private void OnAckedEnvelope(AckedEnvelope envelope)
    {
        if (!IsAnswering)
        {
            _output.Inbox.Release(ServerLines.FromLength(envelope.SenderId, envelope.Payload.Length));
            envelope.ReplyTo.Tell(new ReceiptFailed(envelope.ReceiptId, ReceiptFailure.Disconnected), ActorRefs.NoSender);
            return;
        }

        ServerLines.From(_output.Delivered, envelope.SenderId, envelope.Payload);
        // A JSON client's line is written now, so that its end is known.
        _output.Flush();
        _owedReceipts.Enqueue(new OwedReceipt(_output.TotalAppended, envelope.ReplyTo, envelope.ReceiptId));
    }

    /// <summary>Target side: receipts for every line the socket has now taken.</summary>
    private void SendOwedReceipts()
    {
        while (_owedReceipts.TryPeek(out var owed) && owed.End <= _output.TotalTaken)
        {
            _owedReceipts.Dequeue();
            owed.ReplyTo.Tell(new ReceiptDelivered(owed.ReceiptId), ActorRefs.NoSender);
        }
    }

    /// <summary>The client is gone: what it had not taken was not delivered, and what it awaited no longer matters.</summary>
    private void DropReceipts()
    {
        while (_owedReceipts.TryDequeue(out var owed))
            owed.ReplyTo.Tell(new ReceiptFailed(owed.ReceiptId, ReceiptFailure.Disconnected), ActorRefs.NoSender);
        ForgetAwaitedReceipts();
    }

    /// <summary>The receipts the client awaits will not be written to it.</summary>
    private void ForgetAwaitedReceipts()
    {
        _receipts.Clear();
        _timers.Cancel(SessionTimer.Receipts);
    }

    private readonly record struct PendingReceipt(byte[] Reference, long TargetId, long Sent);

    private readonly record struct OwedReceipt(long End, IActorRef ReplyTo, long ReceiptId);
}
