using Akka.Actor;
using Akka.TestKit.Xunit2;
using Relay.Actors.Ids;

namespace Relay.Actors.Tests.Ids;

/// <summary>The node's id pool against an allocator the test answers by hand.</summary>
public sealed class IdPoolSpec : TestKit
{
    private static readonly IdBlocks Blocks = new(100);

    public IdPoolSpec()
        : base("akka.loglevel = DEBUG")
    {
    }

    [Fact]
    public void Spends_no_id_on_a_connection_that_stopped_while_it_waited()
    {
        var allocator = CreateTestProbe();
        var pool = Sys.ActorOf(IdPool.Props(allocator.Ref, Blocks, lowWater: 10, retryAfter: TimeSpan.FromMinutes(1)));
        allocator.ExpectMsg<LeaseBlock>();
        var gaveUp = CreateTestProbe();
        var patient = CreateTestProbe();

        pool.Tell(new AssignId(gaveUp.Ref));
        pool.Tell(new AssignId(patient.Ref));
        EventFilter.Debug(start: "A connection stopped while waiting for an id").ExpectOne(() => Sys.Stop(gaveUp.Ref));
        pool.Tell(new AssignId(TestActor));
        pool.Tell(new BlockLeased(0));

        Assert.Equal(1, patient.ExpectMsg<IdAssigned>().ClientId);
        Assert.Equal(2, ExpectMsg<IdAssigned>().ClientId);
    }

    [Fact]
    public void Serves_waiting_connections_in_the_order_they_asked()
    {
        var allocator = CreateTestProbe();
        var pool = Sys.ActorOf(IdPool.Props(allocator.Ref, Blocks, lowWater: 10, retryAfter: TimeSpan.FromMinutes(1)));
        allocator.ExpectMsg<LeaseBlock>();
        var connections = Enumerable.Range(0, 5).Select(_ => CreateTestProbe()).ToList();

        foreach (var connection in connections)
            pool.Tell(new AssignId(connection.Ref));
        pool.Tell(new BlockLeased(3));

        Assert.Equal([301L, 302, 303, 304, 305], connections.Select(c => c.ExpectMsg<IdAssigned>().ClientId));
    }
}
