using System.Buffers.Binary;
using System.Text;
using Akka.Actor;
using Akka.Serialization;
using Relay.Actors.Fanout;
using Relay.Actors.Ids;
using Relay.Actors.Overview;
using Relay.Actors.Presence;
using Relay.Actors.Registry;
using Relay.Actors.Session;
using Relay.Protocol;

namespace Relay.Actors.Cluster;

/// <summary>
/// Binary serializer for every <see cref="IRelayClusterMessage"/>: fixed little-endian fields and
/// one-letter manifests that never change meaning (a rolling upgrade depends on them).
/// </summary>
/// <remarks>
/// A relayed message costs 16 bytes of header over its payload, instead of a JSON document.
/// </remarks>
public sealed class RelaySerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    private const string EnvelopeManifest = "E";
    private const string UnknownTargetManifest = "U";
    private const string BarrierManifest = "B";
    private const string RegisterManifest = "R";
    private const string RegisteredManifest = "A";
    private const string LeaseManifest = "L";
    private const string LeasedManifest = "K";
    private const string BatchManifest = "T";
    private const string AckedEnvelopeManifest = "C";
    private const string ReceiptDeliveredManifest = "D";
    private const string ReceiptFailedManifest = "F";
    private const string FanoutBatchManifest = "O";
    private const string PeerBarrierManifest = "P";
    private const string PeerBarrierEchoManifest = "Q";
    private const string PresenceDeltaManifest = "V";
    private const string PresenceSyncRequestManifest = "S";
    private const string PresenceSnapshotManifest = "N";
    private const string FanoutHelloManifest = "H";
    private const string NodeReportManifest = "W";
    private const string ClientDetailsRequestManifest = "X";
    private const string ClientDetailsReplyManifest = "Y";
    private const string ReleaseBlocksManifest = "G";
    private const string BlocksReleasedManifest = "J";

    /// <summary>Unique among the node's serializers; Akka reserves 0–100.</summary>
    public override int Identifier => 7301;

    /// <inheritdoc />
    public override string Manifest(object o) => o switch
    {
        RelayEnvelope => EnvelopeManifest,
        UnknownTarget => UnknownTargetManifest,
        BlockBarrier => BarrierManifest,
        RegisterClient => RegisterManifest,
        ClientRegistered => RegisteredManifest,
        LeaseBlock => LeaseManifest,
        BlockLeased => LeasedManifest,
        RelayBatch => BatchManifest,
        AckedEnvelope => AckedEnvelopeManifest,
        ReceiptDelivered => ReceiptDeliveredManifest,
        ReceiptFailed => ReceiptFailedManifest,
        FanoutBatch => FanoutBatchManifest,
        PeerBarrier => PeerBarrierManifest,
        PeerBarrierEcho => PeerBarrierEchoManifest,
        PresenceDelta => PresenceDeltaManifest,
        PresenceSyncRequest => PresenceSyncRequestManifest,
        PresenceSnapshot => PresenceSnapshotManifest,
        FanoutHello => FanoutHelloManifest,
        NodeReport => NodeReportManifest,
        ClientDetailsRequest => ClientDetailsRequestManifest,
        ClientDetailsReply => ClientDetailsReplyManifest,
        ReleaseBlocks => ReleaseBlocksManifest,
        BlocksReleased => BlocksReleasedManifest,
        _ => throw new ArgumentException($"RelaySerializer cannot serialize {o.GetType()}", nameof(o)),
    };

    /// <inheritdoc />
    public override byte[] ToBinary(object obj)
    {
        switch (obj)
        {
            case RelayEnvelope envelope:
                return TwoLongsThen(envelope.SenderId, envelope.TargetId, envelope.Payload);
            case UnknownTarget unknown:
                return Longs(unknown.TargetId);
            case BlockBarrier barrier:
                return Longs(barrier.Block, barrier.Token);
            case RegisterClient register:
                return WithActor(register.ClientId, register.Connection);
            case ClientRegistered registered:
                return Longs(registered.ClientId);
            case LeaseBlock lease:
                return WithActor(lease.Incarnation, lease.Requester);
            case BlockLeased leased:
                return Longs(leased.Block);
            case RelayBatch batch:
                return TwoLongsThen(batch.Block, batch.SenderId, batch.Entries);
            case AckedEnvelope acked:
                return AckedEnvelopeBytes(acked);
            case ReceiptDelivered delivered:
                return Longs(delivered.ReceiptId);
            case ReceiptFailed failed:
                return Longs(failed.ReceiptId, (long)failed.Cause);
            case FanoutBatch fanout:
                return TwoLongsThen(fanout.SenderId, 0, fanout.Entries);
            case PeerBarrier barrier:
                return Longs(barrier.Id);
            case PeerBarrierEcho echo:
                return Longs(echo.Id);
            case PresenceDelta delta:
                return ChangesBytes(delta.Changes, delta.FirstNumber, 0);
            case PresenceSyncRequest request:
                return Longs(request.Token);
            case PresenceSnapshot snapshot:
                return SnapshotBytes(snapshot);
            case FanoutHello hello:
                return [hello.AnswerMe ? (byte)1 : (byte)0];
            case NodeReport report:
                return OverviewBytes.Of(report);
            case ClientDetailsRequest request:
                return Longs(request.Ids);
            case ClientDetailsReply reply:
                return OverviewBytes.Of(reply);
            case ReleaseBlocks release:
                return Longs([release.Incarnation, .. release.Blocks]);
            case BlocksReleased released:
                return Longs(released.Blocks);
            default:
                throw new ArgumentException($"RelaySerializer cannot serialize {obj.GetType()}", nameof(obj));
        }
    }

    /// <inheritdoc />
    public override object FromBinary(byte[] bytes, string manifest) => manifest switch
    {
        EnvelopeManifest => new RelayEnvelope(Long(bytes, 0), Long(bytes, 1), bytes.AsSpan(16).ToArray()),
        UnknownTargetManifest => new UnknownTarget(Long(bytes, 0)),
        BarrierManifest => new BlockBarrier(Long(bytes, 0), Long(bytes, 1)),
        RegisterManifest => new RegisterClient(Long(bytes, 0), Actor(bytes)),
        RegisteredManifest => new ClientRegistered(Long(bytes, 0)),
        LeaseManifest => new LeaseBlock(Actor(bytes), Long(bytes, 0)),
        LeasedManifest => new BlockLeased(Long(bytes, 0)),
        BatchManifest => new RelayBatch(Long(bytes, 0), Long(bytes, 1), bytes.AsSpan(16).ToArray()),
        AckedEnvelopeManifest => AckedEnvelopeFrom(bytes),
        ReceiptDeliveredManifest => new ReceiptDelivered(Long(bytes, 0)),
        ReceiptFailedManifest => new ReceiptFailed(Long(bytes, 0), (ReceiptFailure)Long(bytes, 1)),
        FanoutBatchManifest => new FanoutBatch(Long(bytes, 0), bytes.AsSpan(16).ToArray()),
        PeerBarrierManifest => new PeerBarrier(Long(bytes, 0)),
        PeerBarrierEchoManifest => new PeerBarrierEcho(Long(bytes, 0)),
        PresenceDeltaManifest => new PresenceDelta(Long(bytes, 0), ChangesFrom(bytes, 16)),
        PresenceSyncRequestManifest => new PresenceSyncRequest(Long(bytes, 0)),
        PresenceSnapshotManifest => SnapshotFrom(bytes),
        FanoutHelloManifest => new FanoutHello(bytes[0] == 1),
        NodeReportManifest => OverviewBytes.ReportFrom(bytes),
        ClientDetailsRequestManifest => new ClientDetailsRequest(LongsFrom(bytes, 0)),
        ReleaseBlocksManifest => new ReleaseBlocks(Long(bytes, 0), LongsFrom(bytes, 1)),
        BlocksReleasedManifest => new BlocksReleased(LongsFrom(bytes, 0)),
        ClientDetailsReplyManifest => OverviewBytes.ReplyFrom(bytes),
        _ => throw new ArgumentException($"Unknown manifest '{manifest}': is this node older than the sender?"),
    };

    // Three longs, the reply-to path (length-prefixed), then the payload.
    private static byte[] AckedEnvelopeBytes(AckedEnvelope acked)
    {
        var path = Encoding.UTF8.GetBytes(Akka.Serialization.Serialization.SerializedActorPath(acked.ReplyTo));
        var bytes = new byte[28 + path.Length + acked.Payload.Length];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, acked.SenderId);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(8), acked.TargetId);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(16), acked.ReceiptId);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(24), path.Length);
        path.CopyTo(bytes, 28);
        acked.Payload.CopyTo(bytes, 28 + path.Length);
        return bytes;
    }

    private AckedEnvelope AckedEnvelopeFrom(byte[] bytes)
    {
        var pathLength = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(24));
        var replyTo = system.Provider.ResolveActorRef(Encoding.UTF8.GetString(bytes, 28, pathLength));
        return new AckedEnvelope(Long(bytes, 0), Long(bytes, 1), Long(bytes, 2), replyTo, bytes.AsSpan(28 + pathLength).ToArray());
    }

    // Token, part, last (0/1), next number as longs, then the changes.
    private static byte[] SnapshotBytes(PresenceSnapshot snapshot)
        => ChangesBytes(snapshot.Changes, snapshot.Token, snapshot.Part, snapshot.Last ? 1 : 0, snapshot.NextNumber);

    private static PresenceSnapshot SnapshotFrom(byte[] bytes) =>
        new(Long(bytes, 0), (int)Long(bytes, 1), Long(bytes, 2) == 1, Long(bytes, 3), ChangesFrom(bytes, 32));

    // Some longs, then per change: kind (1 byte), client id (8), room length (1), room (ASCII).
    private static byte[] ChangesBytes(PresenceChange[] changes, params long[] header)
    {
        var offset = header.Length * 8;
        var bytes = new byte[offset + changes.Sum(change => 10 + change.Room.Length)];
        for (var i = 0; i < header.Length; i++)
            BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(i * 8), header[i]);
        foreach (var change in changes)
        {
            bytes[offset] = (byte)change.Kind;
            BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(offset + 1), change.ClientId);
            bytes[offset + 9] = (byte)change.Room.Length;
            offset += 10 + Encoding.ASCII.GetBytes(change.Room, bytes.AsSpan(offset + 10));
        }

        return bytes;
    }

    private static PresenceChange[] ChangesFrom(byte[] bytes, int offset)
    {
        var changes = new List<PresenceChange>();
        while (offset < bytes.Length)
        {
            var roomLength = bytes[offset + 9];
            var room = roomLength == 0 ? "" : Encoding.ASCII.GetString(bytes, offset + 10, roomLength);
            changes.Add(new PresenceChange((PresenceChangeKind)bytes[offset], BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(offset + 1)), room));
            offset += 10 + roomLength;
        }

        return changes.ToArray();
    }

    private static byte[] TwoLongsThen(long first, long second, byte[] rest)
    {
        var bytes = new byte[16 + rest.Length];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, first);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(8), second);
        rest.CopyTo(bytes.AsSpan(16));
        return bytes;
    }

    private static byte[] Longs(params long[] values)
    {
        var bytes = new byte[values.Length * 8];
        for (var i = 0; i < values.Length; i++)
            BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(i * 8), values[i]);
        return bytes;
    }

    private static long Long(byte[] bytes, int index) => BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(index * 8));

    private static long[] LongsFrom(byte[] bytes, int first) =>
        Enumerable.Range(first, bytes.Length / 8 - first).Select(i => Long(bytes, i)).ToArray();

    private static byte[] WithActor(long value, IActorRef actor)
    {
        var path = Encoding.UTF8.GetBytes(Akka.Serialization.Serialization.SerializedActorPath(actor));
        var bytes = new byte[8 + path.Length];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
        path.CopyTo(bytes, 8);
        return bytes;
    }

    private IActorRef Actor(byte[] bytes) => system.Provider.ResolveActorRef(Encoding.UTF8.GetString(bytes, 8, bytes.Length - 8));
}
