using Akka.Actor;
using Akka.TestKit.Xunit2;
using Relay.Actors.Cluster;
using Relay.Actors.Ids;
using Relay.Actors.Registry;

namespace Relay.Actors.Tests.Cluster;

public sealed class RelaySerializerSpec() : TestKit(RelayNode.LoadConfig(overrides: "akka.remote.dot-netty.tcp.port = 0"))
{
    [Fact]
    public void Round_trips_every_message_that_crosses_nodes()
    {
        var messages = new object[]
        {
            new RelayEnvelope(3, 701, "안녕: bytes as they came"u8.ToArray()),
            new RelayEnvelope(1, 2, []),
            new UnknownTarget(long.MaxValue),
            new BlockBarrier(7, 42),
            new RegisterClient(5, TestActor),
            new ClientRegistered(5),
            new LeaseBlock(TestActor),
            new BlockLeased(12),
            new RelayBatch(3, 42, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]),
        };

        foreach (var message in messages)
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
