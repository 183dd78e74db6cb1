using Akka.Actor;
using Akka.TestKit.Xunit2;
using Relay.Actors.Ids;
using Relay.Actors.Registry;
using Relay.Actors.Session;

namespace Relay.Actors.Tests.Ids;

/// <summary>The node's id pool against an allocator the test answers by hand.</summary>
public sealed class IdPoolSpec : TestKit
{
    private const long Incarnation = 77;
    private static readonly IdBlocks Blocks = new(100);
    private static readonly IdPoolRelease NoRelease = new(Incarnation, new LocalClients(), TimeSpan.Zero, TimeSpan.FromHours(1));

    public IdPoolSpec()
        : base("akka.loglevel = DEBUG")
    {
    }

    [Fact]
    public void Spends_no_id_on_a_connection_that_stopped_while_it_waited()
    {
        var allocator = CreateTestProbe();
        var pool = Sys.ActorOf(IdPool.Props(allocator.Ref, Blocks, lowWater: 10, retryAfter: TimeSpan.FromMinutes(1), NoRelease));
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
        var pool = Sys.ActorOf(IdPool.Props(allocator.Ref, Blocks, lowWater: 10, retryAfter: TimeSpan.FromMinutes(1), NoRelease));
        allocator.ExpectMsg<LeaseBlock>();
        var connections = Enumerable.Range(0, 5).Select(_ => CreateTestProbe()).ToList();

        foreach (var connection in connections)
            pool.Tell(new AssignId(connection.Ref));
        pool.Tell(new BlockLeased(3));

        Assert.Equal([301L, 302, 303, 304, 305], connections.Select(c => c.ExpectMsg<IdAssigned>().ClientId));
    }

    [Fact]
    public void Gives_back_a_used_up_block_once_its_last_client_has_left()
    {
        var allocator = CreateTestProbe();
        var local = new LocalClients();
        var release = new IdPoolRelease(Incarnation, local, TimeSpan.Zero, TimeSpan.FromMilliseconds(100));
        var pool = Sys.ActorOf(IdPool.Props(allocator.Ref, new IdBlocks(2), lowWater: 1, retryAfter: TimeSpan.FromMinutes(1), release));
        Assert.Equal(Incarnation, allocator.ExpectMsg<LeaseBlock>().Incarnation);
        pool.Tell(new BlockLeased(0));
        var inboxes = Enumerable.Range(0, 3).Select(_ => new ClientInbox(CreateTestProbe().Ref, 1024)).ToList();
        foreach (var _ in inboxes)
            pool.Tell(new AssignId(TestActor));
        Assert.Equal([1L, 2], [ExpectMsg<IdAssigned>().ClientId, ExpectMsg<IdAssigned>().ClientId]);
        allocator.ExpectMsg<LeaseBlock>();
        pool.Tell(new BlockLeased(1));
        Assert.Equal(3, ExpectMsg<IdAssigned>().ClientId);
        foreach (var (id, inbox) in inboxes.Select((inbox, i) => (i + 1L, inbox)))
            local.Add(id, inbox);

        // Block 0 is used up but client 2 is still here; block 1 is not used up (id 4 is left).
        local.Remove(1, inboxes[0]);
        allocator.ExpectNoMsg(TimeSpan.FromMilliseconds(400));
        local.Remove(2, inboxes[1]);
        local.Remove(3, inboxes[2]);
        var released = allocator.ExpectMsg<ReleaseBlocks>();
        Assert.Equal(Incarnation, released.Incarnation);
        Assert.Equal([0L], released.Blocks);

        // Given back again at each check until the allocator confirms, then never again.
        Assert.Equal([0L], allocator.ExpectMsg<ReleaseBlocks>().Blocks);
        pool.Tell(new BlocksReleased([0]));
        allocator.ReceiveWhile(TimeSpan.FromMilliseconds(150), message => message as ReleaseBlocks);
        allocator.ExpectNoMsg(TimeSpan.FromMilliseconds(400));
    }
}
