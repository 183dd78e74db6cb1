using System.Net;
using Akka.Actor;
using Akka.Configuration;
using Akka.IO;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using Relay.Actors.Ids;
using Relay.Actors.Metrics;
using Relay.Actors.Presence;
using Relay.Actors.Registry;
using Relay.Actors.Session;
using Relay.Actors.TcpTransport;
using Relay.Protocol;

namespace Relay.Actors.Tests.TcpTransport;

/// <summary>The connection actor as Akka.IO drives it: a test probe stands for the socket.</summary>
public sealed class ConnectionActorSpec() : TestKit(ConfigurationFactory.ParseString("akka.actor.provider = local").WithFallback(RelayNode.DefaultConfig()))
{
    private const long ClientId = 7;

    [Fact]
    public void Answers_DISCONNECTED_for_a_receipted_line_that_was_on_its_way_when_the_socket_reset()
    {
        var (connection, socket, local) = Registered();
        var sender = CreateTestProbe();
        // A sender reserves room for its line, as every sender does before it sends, and the
        // client's socket resets before the line reaches the connection.
        Assert.True(local.TryGet(ClientId, out var inbox));
        Assert.True(inbox.TryReserve(ServerLines.FromLength(3, 2)));

        connection.Tell(new Tcp.ErrorClosed("Connection reset by peer"));
        connection.Tell(new AckedEnvelope(3, ClientId, 42, sender, "hi"u8.ToArray()));

        sender.ExpectMsg(new ReceiptFailed(42, ReceiptFailure.Disconnected));
        Watch(connection);
        ExpectTerminated(connection);
        socket.ExpectNoMsg(TimeSpan.Zero);
    }

    [Fact]
    public void Stops_as_soon_as_the_socket_closes_when_nothing_is_on_its_way()
    {
        var (connection, _, local) = Registered();
        Watch(connection);

        connection.Tell(new Tcp.ErrorClosed("Connection reset by peer"));

        ExpectTerminated(connection);
        Assert.False(local.TryGet(ClientId, out _));
    }

    /// <summary>A connection whose session has its id and is relaying; what it sends the socket so far is consumed.</summary>
    private (IActorRef Connection, TestProbe Socket, LocalClients Local) Registered()
    {
        var socket = CreateTestProbe();
        var idPool = CreateTestProbe();
        var registry = CreateTestProbe();
        var local = new LocalClients();
        var services = new NodeServices(
            idPool, registry, CreateTestProbe(), new RoutingTable(new Address("akka", "test")), new IdBlocks(100), local,
            CreateTestProbe(), new ClusterPresence(new NodePresence()), new NodeCounters());
        var connection = Sys.ActorOf(ConnectionActor.Props(
            socket, new IPEndPoint(IPAddress.Loopback, 50_000), services, ConnectionSettings.Create(Sys.Settings.Config)));

        socket.ExpectMsg<Tcp.Register>();
        idPool.ExpectMsg<AssignId>();
        connection.Tell(new IdAssigned(ClientId));
        registry.ExpectMsg<RegisterClient>();
        connection.Tell(new ClientRegistered(ClientId));
        socket.ExpectMsg<Tcp.Write>();
        socket.ExpectMsg<Tcp.ResumeReading>();
        return (connection, socket, local);
    }
}
