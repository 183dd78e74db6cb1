using Akka.Actor;
using Akka.TestKit.Xunit2;
using Relay.Actors.Registry;

namespace Relay.Actors.Tests.Registry;

public sealed class ClientRegistrySpec : TestKit
{
    private readonly IActorRef _registry;

    public ClientRegistrySpec() => _registry = Sys.ActorOf(ClientRegistry.Props());

    [Fact]
    public void Assigns_unique_increasing_ids_from_one()
    {
        var ids = Enumerable.Range(0, 5).Select(_ => Register(CreateTestProbe())).ToList();

        Assert.Equal([1L, 2, 3, 4, 5], ids);
    }

    [Fact]
    public void Forwards_an_envelope_to_the_target_connection()
    {
        var sender = CreateTestProbe();
        var target = CreateTestProbe();
        var senderId = Register(sender);
        var targetId = Register(target);

        var envelope = new RelayEnvelope(senderId, targetId, "hi"u8.ToArray());
        _registry.Tell(envelope, sender);

        Assert.Same(envelope, target.ExpectMsg<RelayEnvelope>());
        sender.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void Answers_unknown_target_to_the_sender()
    {
        var sender = CreateTestProbe();
        var senderId = Register(sender);

        _registry.Tell(new RelayEnvelope(senderId, 99, []), sender);

        Assert.Equal(99, sender.ExpectMsg<UnknownTarget>().TargetId);
    }

    [Fact]
    public void Forgets_a_client_whose_connection_stopped_and_never_reuses_its_id()
    {
        var sender = CreateTestProbe();
        var leaving = CreateTestProbe();
        Register(sender);
        var leavingId = Register(leaving);

        Watch(leaving.Ref);
        Sys.Stop(leaving.Ref);
        ExpectTerminated(leaving.Ref);

        AwaitAssert(() =>
        {
            _registry.Tell(new RelayEnvelope(1, leavingId, []), sender);
            Assert.Equal(leavingId, sender.ExpectMsg<UnknownTarget>(TimeSpan.FromMilliseconds(200)).TargetId);
        });
        Assert.Equal(leavingId + 1, Register(CreateTestProbe()));
    }

    [Fact]
    public void Returns_a_barrier_after_the_answers_to_earlier_envelopes()
    {
        var sender = CreateTestProbe();
        Register(sender);

        _registry.Tell(new RelayEnvelope(1, 50, []), sender);
        _registry.Tell(RoutingBarrier.Ping, sender);

        sender.ExpectMsg<UnknownTarget>();
        Assert.Same(RoutingBarrier.Ping, sender.ExpectMsg<RoutingBarrier>());
    }

    private long Register(Akka.TestKit.TestProbe connection)
    {
        _registry.Tell(new RegisterClient(connection.Ref));
        return connection.ExpectMsg<ClientRegistered>().ClientId;
    }
}
