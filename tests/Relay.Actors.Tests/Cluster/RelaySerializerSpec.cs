using Akka.Actor;
using Akka.TestKit.Xunit2;
using Relay.Actors.Cluster;
using Relay.Actors.Fanout;
using Relay.Actors.Ids;
using Relay.Actors.Overview;
using Relay.Actors.Presence;
using Relay.Actors.Registry;
using Relay.Actors.Session;
using Relay.Protocol;

namespace Relay.Actors.Tests.Cluster;

public sealed class RelaySerializerSpec() : TestKit(RelayNode.LoadConfig(overrides: "akka.remote.dot-netty.tcp.port = 0"))
{
    /// <summary>One sample of every message that crosses nodes; a spec below checks by reflection that none is missing.</summary>
    private object[] Samples() =>
        [
            new RelayEnvelope(3, 701, "안녕: bytes as they came"u8.ToArray()),
            new RelayEnvelope(1, 2, []),
            new UnknownTarget(long.MaxValue),
            new BlockBarrier(7, 42),
            new RegisterClient(5, TestActor),
            new ClientRegistered(5),
            new LeaseBlock(TestActor, -1_234_567_890),
            new ReleaseBlocks(1_234_567_890, [0, 7, long.MaxValue]),
            new ReleaseBlocks(5, []),
            new BlocksReleased([3, 4]),
            new BlockLeased(12),
            new RelayBatch(3, 42, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]),
            new AckedEnvelope(3, 701, 99, TestActor, "안녕: acked"u8.ToArray()),
            new ReceiptDelivered(99),
            new ReceiptFailed(99, ReceiptFailure.Disconnected),
            new FanoutBatch(7, [0, 2, 0, 0, 0, (byte)'h', (byte)'i']),
            new PeerBarrier(5),
            new PeerBarrierEcho(5),
            new FanoutHello(AnswerMe: true),
            new PresenceDelta(12, [new(PresenceChangeKind.Online, 3), new(PresenceChangeKind.Join, 3, "dev.team-1"), new(PresenceChangeKind.Offline, 4)]),
            new PresenceSyncRequest(8),
            new PresenceSnapshot(8, 2, true, 40, [new(PresenceChangeKind.Online, 301), new(PresenceChangeKind.Join, 301, new string('r', 64))]),
            new NodeReport("127.0.0.1:9001", 12, 3, 4_000_000_000, 5, 10, 1, 1),
            new ClientDetailsRequest([1, 2, long.MaxValue]),
            new ClientDetailsReply(
            [
                new ClientDetails(7, ClientTransport.WebSocket, true, "[::1]:51234", DateTimeOffset.FromUnixTimeMilliseconds(1_780_000_000_123), 3, 4, ["dev", "lobby"]),
                new ClientDetails(8, ClientTransport.Tcp, false, "127.0.0.1:4000", DateTimeOffset.FromUnixTimeMilliseconds(0), 0, 0, []),
            ]),
        ];

    [Fact]
    public void Has_a_sample_of_every_message_that_crosses_nodes()
    {
        var sampled = Samples().Select(sample => sample.GetType()).ToHashSet();
        var crossing = typeof(IRelayClusterMessage).Assembly.GetTypes()
            .Where(type => typeof(IRelayClusterMessage).IsAssignableFrom(type) && type is { IsInterface: false, IsAbstract: false });

        Assert.Empty(crossing.Where(type => !sampled.Contains(type)).Select(type => type.Name));
    }

    [Fact]
    public void Round_trips_every_message_that_crosses_nodes()
    {
        foreach (var message in Samples())
        {
            var serializer = Sys.Serialization.FindSerializerFor(message);
            Assert.IsType<RelaySerializer>(serializer);

            var manifest = Akka.Serialization.Serialization.ManifestFor(serializer, message);
            var copy = Sys.Serialization.Deserialize(serializer.ToBinary(message), serializer.Identifier, manifest);

            if (message is RelayBatch batch)
            {
                var batchCopy = Assert.IsType<RelayBatch>(copy);
                Assert.Equal((batch.Block, batch.SenderId), (batchCopy.Block, batchCopy.SenderId));
                Assert.Equal(batch.Entries, batchCopy.Entries);
            }
            else if (message is RelayEnvelope envelope)
            {
                var envelopeCopy = Assert.IsType<RelayEnvelope>(copy);
                Assert.Equal((envelope.SenderId, envelope.TargetId), (envelopeCopy.SenderId, envelopeCopy.TargetId));
                Assert.Equal(envelope.Payload, envelopeCopy.Payload);
            }
            else if (message is AckedEnvelope acked)
            {
                var ackedCopy = Assert.IsType<AckedEnvelope>(copy);
                Assert.Equal((acked.SenderId, acked.TargetId, acked.ReceiptId, acked.ReplyTo), (ackedCopy.SenderId, ackedCopy.TargetId, ackedCopy.ReceiptId, ackedCopy.ReplyTo));
                Assert.Equal(acked.Payload, ackedCopy.Payload);
            }
            else if (message is FanoutBatch fanout)
            {
                var fanoutCopy = Assert.IsType<FanoutBatch>(copy);
                Assert.Equal(fanout.SenderId, fanoutCopy.SenderId);
                Assert.Equal(fanout.Entries, fanoutCopy.Entries);
            }
            else if (message is PresenceDelta delta)
            {
                var deltaCopy = Assert.IsType<PresenceDelta>(copy);
                Assert.Equal(delta.FirstNumber, deltaCopy.FirstNumber);
                Assert.Equal(delta.Changes, deltaCopy.Changes);
            }
            else if (message is PresenceSnapshot snapshot)
            {
                var snapshotCopy = Assert.IsType<PresenceSnapshot>(copy);
                Assert.Equal((snapshot.Token, snapshot.Part, snapshot.Last, snapshot.NextNumber), (snapshotCopy.Token, snapshotCopy.Part, snapshotCopy.Last, snapshotCopy.NextNumber));
                Assert.Equal(snapshot.Changes, snapshotCopy.Changes);
            }
            else if (message is ClientDetailsRequest request)
            {
                Assert.Equal(request.Ids, Assert.IsType<ClientDetailsRequest>(copy).Ids);
            }
            else if (message is ReleaseBlocks release)
            {
                var releaseCopy = Assert.IsType<ReleaseBlocks>(copy);
                Assert.Equal(release.Incarnation, releaseCopy.Incarnation);
                Assert.Equal(release.Blocks, releaseCopy.Blocks);
            }
            else if (message is BlocksReleased released)
            {
                Assert.Equal(released.Blocks, Assert.IsType<BlocksReleased>(copy).Blocks);
            }
            else if (message is ClientDetailsReply reply)
            {
                var replyCopy = Assert.IsType<ClientDetailsReply>(copy);
                Assert.Equal(reply.Clients.Length, replyCopy.Clients.Length);
                foreach (var (client, clientCopy) in reply.Clients.Zip(replyCopy.Clients))
                {
                    Assert.Equal(client with { Rooms = [] }, clientCopy with { Rooms = [] });
                    Assert.Equal(client.Rooms, clientCopy.Rooms);
                }
            }
            else
            {
                Assert.Equal(message, copy);
            }
        }
    }

    [Fact]
    public void Costs_sixteen_bytes_over_the_payload_for_a_relayed_message()
    {
        var envelope = new RelayEnvelope(1, 2, new byte[100]);

        Assert.Equal(116, Sys.Serialization.FindSerializerFor(envelope).ToBinary(envelope).Length);
    }
}
