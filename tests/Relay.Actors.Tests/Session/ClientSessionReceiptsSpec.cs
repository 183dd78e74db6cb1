using Akka.TestKit.Xunit2;
using Relay.Actors.Presence;
using Relay.Actors.Registry;
using Relay.Actors.Session;
using Relay.Protocol;

namespace Relay.Actors.Tests.Session;

/// <summary>TOACK receipts at both ends, without sockets.</summary>
public sealed class ClientSessionReceiptsSpec : TestKit
{
    [Fact]
    public void Confirms_delivery_to_a_local_target_only_once_its_socket_took_the_line()
    {
        var (sender, target) = TwoClients();

        sender.Input("TOACK:a1:2:hello\n");
        target.ProcessMailbox();

        // The line is queued for the target, not yet taken: no receipt.
        sender.Connection.ExpectNoMsg(TimeSpan.FromMilliseconds(50));
        Assert.Equal("FROM:1:hello\n", target.TakeOutput());
        sender.ProcessMailbox();
        Assert.Equal("DELIVERED:a1\n", sender.TakeOutput());
    }

    [Fact]
    public void Keeps_the_order_of_plain_and_receipted_lines_to_one_target()
    {
        var (sender, target) = TwoClients();

        sender.Input("TO:2:one\nTOACK:a:2:two\nTO:2:three\n");
        target.ProcessMailbox();

        Assert.Equal("FROM:1:one\nFROM:1:two\nFROM:1:three\n", target.TakeOutput());
    }

    [Fact]
    public void Reports_a_line_the_target_never_took_because_it_left_as_not_delivered()
    {
        var (sender, target) = TwoClients();

        sender.Input("TOACK:a1:2:hello\n");
        target.ProcessMailbox();
        target.Session.Handle(InboxOverflowed.Instance);
        sender.ProcessMailbox();

        Assert.Equal("ERROR:NOT_DELIVERED:a1:DISCONNECTED:client 2 left before it could take the message\n", sender.TakeOutput());
    }

    [Fact]
    public void Confirms_a_line_written_out_before_its_node_tells_the_target_to_reconnect_as_delivered()
    {
        var (sender, target) = TwoClients();

        sender.Input("TOACK:a1:2:hello\n");
        target.ProcessMailbox();
        // The node leaves while the line is queued for the target: it still goes out, before RECONNECT.
        target.Session.Handle(NodeLeaving.Instance);
        target.Input("QUIT\n");
        Assert.Equal("FROM:1:hello\nRECONNECT:node leaving the cluster; connect to another node\n", target.TakeOutput());
        Assert.True(target.Closed);
        sender.ProcessMailbox();

        Assert.Equal("DELIVERED:a1\n", sender.TakeOutput());
    }

    [Fact]
    public void Answers_the_receipts_a_client_awaits_when_it_quits_after_its_node_asked_it_to_reconnect()
    {
        var (sender, target) = TwoClients();
        sender.Input("TOACK:a1:2:before\n");
        sender.Session.Handle(NodeLeaving.Instance);
        sender.Input("TOACK:a2:2:after RECONNECT\nQUIT\n");

        target.ProcessMailbox();
        Assert.Equal("FROM:1:before\nFROM:1:after RECONNECT\n", target.TakeOutput());
        sender.ProcessMailbox();

        Assert.Equal("RECONNECT:node leaving the cluster; connect to another node\nDELIVERED:a1\nDELIVERED:a2\n", sender.TakeOutput());
        Assert.True(sender.Closed);
    }

    [Fact]
    public void Reports_a_target_that_is_not_connected_at_once()
    {
        var client = new SessionHarness(this).WithKnownBlocks().Register(1);

        client.Input("TOACK:r:7:x\nPING\n");

        Assert.Equal("ERROR:NOT_DELIVERED:r:UNKNOWN_TARGET:no client 7\nPONG\n", client.TakeOutput());
    }

    [Fact]
    public void Sends_a_receipted_line_for_another_node_through_the_registry_and_reports_its_failure()
    {
        var client = new SessionHarness(this).WithKnownBlocks().Register(1);

        client.Input("TOACK:r:150:x\n");

        var envelope = client.Registry.ExpectMsg<AckedEnvelope>();
        Assert.Equal((1L, 150L, client.Connection.Ref), (envelope.SenderId, envelope.TargetId, envelope.ReplyTo));
        client.Session.Handle(new ReceiptFailed(envelope.ReceiptId, ReceiptFailure.UnknownTarget));
        Assert.Equal("ERROR:NOT_DELIVERED:r:UNKNOWN_TARGET:no client 150\n", client.TakeOutput());
        // A late or repeated answer for the same receipt is ignored.
        client.Session.Handle(new ReceiptDelivered(envelope.ReceiptId));
        Assert.Equal("", client.TakeOutput());
    }

    [Fact]
    public void Times_out_a_receipt_that_never_comes()
    {
        // The timer is fired by hand; with a zero timeout the receipt is due the moment it fires.
        var client = new SessionHarness(this, "relay.connection.receipt-timeout = 0s").WithKnownBlocks().Register(1);
        client.Input("TOACK:r:150:x\n");

        client.Fire(SessionTimer.Receipts);

        Assert.Equal("ERROR:NOT_DELIVERED:r:TIMEOUT:no receipt from the node of client 150 in time; the message may or may not have arrived\n", client.TakeOutput());
        Assert.False(client.IsRunning(SessionTimer.Receipts));
    }

    [Fact]
    public void Stops_reading_while_the_most_receipts_a_client_may_await_are_pending()
    {
        var client = new SessionHarness(this, "relay.connection.max-pending-receipts = 2").WithKnownBlocks().Register(1);

        client.Input("TOACK:a:150:x\nTOACK:b:150:y\n");

        Assert.False(client.InputRequested, "the session read on with the most receipts pending");
        var first = client.Registry.ExpectMsg<AckedEnvelope>();
        client.Session.Handle(new ReceiptDelivered(first.ReceiptId));
        Assert.Equal("DELIVERED:a\n", client.TakeOutput());
        Assert.True(client.InputRequested, "the session did not read on once a receipt came back");
    }

    [Fact]
    public void Closes_after_QUIT_only_once_the_receipts_it_awaits_have_come()
    {
        var client = new SessionHarness(this).WithKnownBlocks().Register(1);

        client.Input("TOACK:a:150:x\nQUIT\n");
        var envelope = client.Registry.ExpectMsg<AckedEnvelope>();
        var barrier = client.Registry.ExpectMsg<BlockBarrier>();
        client.Session.Handle(barrier);
        client.TakeOutput();
        Assert.False(client.Closed, "closed before the receipt came");

        client.Session.Handle(new ReceiptDelivered(envelope.ReceiptId));

        Assert.Equal("DELIVERED:a\n", client.TakeOutput());
        Assert.True(client.Closed);
    }

    private (SessionHarness Sender, SessionHarness Target) TwoClients()
    {
        var local = new LocalClients();
        var presence = new ClusterPresence(new NodePresence());
        var target = new SessionHarness(this, local: local, presence: presence).WithKnownBlocks().Register(2);
        var sender = new SessionHarness(this, local: local, routes: target.Routes, presence: presence).Register(1);
        return (sender, target);
    }
}
