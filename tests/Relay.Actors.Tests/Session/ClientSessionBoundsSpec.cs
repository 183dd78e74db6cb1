using System.Diagnostics;
using System.Text;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Relay.Actors.Registry;
using Relay.Actors.Session;

namespace Relay.Actors.Tests.Session;

/// <summary>What one client may cost the node: every byte queued for it is counted and bounded.</summary>
public sealed class ClientSessionBoundsSpec : TestKit
{
    private const string SmallQueues = "relay.connection.max-outbound-bytes = 64 KiB";

    [Fact]
    public void Stops_reading_from_a_client_whose_replies_pile_up_and_resumes_when_it_reads_them()
    {
        // Defaults: one read's replies (~35x its size) fit between the pause and the bound.
        var client = new SessionHarness(this).Register(1);
        var flood = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("x\n", 4096)));

        // The client never reads: the socket takes one write and then nothing more.
        var reads = 0;
        while (client.InputRequested && reads < 1000)
        {
            client.Input(flood);
            reads++;
        }

        Assert.False(client.InputRequested, "the session kept reading from a client that reads nothing");
        Assert.InRange(client.Session.QueuedBytes, client.Settings.PauseReadingAboveBytes, client.Settings.MaxOutboundBytes);
        Assert.False(client.Aborted, "a client paused for its own replies was disconnected");

        var replies = client.TakeOutput();

        Assert.Equal(reads * 4096, replies.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(0, client.Session.QueuedBytes);
        Assert.True(client.InputRequested, "reading did not resume once the replies were taken");
    }

    [Fact]
    public void Disconnects_a_client_whose_queue_goes_over_the_bound_whatever_filled_it()
    {
        var client = new SessionHarness(this, SmallQueues).WithBlocksOfAGoneNode().Register(1);

        // Answers from the registry arrive without any read: nothing pauses them but the bound.
        for (var i = 0; i < 10_000 && !client.Aborted; i++)
            client.Session.Handle(new UnknownTarget(150));

        Assert.True(client.Aborted, "the queue grew past max-outbound-bytes");
        Assert.Equal(SessionState.Closed, client.Session.State);
        Assert.False(client.Local.TryGet(1, out _), "a disconnected client still takes deliveries");
    }

    [Fact]
    public void Refuses_lines_for_a_local_target_whose_inbox_is_full_and_has_it_disconnected_once()
    {
        var local = new LocalClients();
        var target = new SessionHarness(this, SmallQueues, local).Register(2);
        var sender = new SessionHarness(this, SmallQueues, local).Register(1);
        var line = $"TO:2:{new string('m', 1000)}\n";

        var refused = 0;
        for (var i = 0; i < 200 && sender.InputRequested; i++)
        {
            sender.Input(line);
            refused += CountOf(sender.TakeOutput(), "ERROR:UNKNOWN_TARGET:no client 2\n");
        }

        Assert.InRange(refused, 100, 200);
        // Accepted lines went to the target's actor, reserved in its inbox: never more than the bound.
        var delivered = 0L;
        while (target.Connection.HasMessages)
        {
            var message = target.Connection.ReceiveOne(TimeSpan.Zero);
            if (message is RelayedLines lines)
                delivered += lines.Length;
            else
                Assert.IsType<InboxOverflowed>(message);
        }

        Assert.InRange(delivered, 1, target.Settings.MaxOutboundBytes);
        Assert.False(local.TryGet(2, out var inbox) && inbox.IsOpen && inbox.QueuedBytes < target.Settings.MaxOutboundBytes / 2);
        target.Session.Handle(InboxOverflowed.Instance);
        Assert.True(target.Aborted, "the full target was not disconnected");
    }

    [Fact]
    public void Reads_at_most_two_windows_ahead_of_what_other_nodes_have_confirmed()
    {
        var client = new SessionHarness(this, "relay.connection.remote-window-lines = 16").WithKnownBlocks().Register(1);
        var window = client.Settings.RemoteWindowLines;

        // Client 150 lives on another node: every line goes to its entity.
        var reads = 0;
        while (client.InputRequested && reads < 10 * window)
        {
            client.Input("TO:150:x\n");
            reads++;
        }

        Assert.Equal(2 * window, reads);
        var barriers = new List<BlockBarrier>();
        while (client.Registry.HasMessages)
        {
            if (client.Registry.ReceiveOne(TimeSpan.Zero) is BlockBarrier barrier)
                barriers.Add(barrier);
        }

        Assert.Equal(2, barriers.Count);

        // The other node confirms the first window: one more window may be read.
        client.Session.Handle(barriers[0]);

        Assert.True(client.InputRequested, "reading did not resume once the other node caught up");
    }

    [Fact]
    public void Takes_no_more_deliveries_once_the_client_quit()
    {
        var local = new LocalClients();
        var target = new SessionHarness(this, local: local).Register(2);
        Assert.True(local.TryGet(2, out var inbox));

        target.Input("QUIT\n");

        // A sender that looked the client up just before cannot queue anything for it now, and
        // later senders do not find it here: the registry answers UNKNOWN_TARGET for them.
        Assert.False(inbox.TryReserve(10));
        Assert.False(local.TryGet(2, out _));
        Assert.True(target.Closed);
    }

    [Fact]
    public void Keeps_at_most_one_write_in_flight_and_coalesces_the_rest()
    {
        var client = new SessionHarness(this).WithBlocksOfAGoneNode().Register(1);

        client.Input("bad\n");
        Assert.True(client.WriteInFlight);
        client.Input("PING\nPING\n");

        Assert.Equal("ERROR:UNKNOWN_COMMAND:expected TO, TOACK, ALL, JOIN, LEAVE, ROOM, ROOMS, MEMBERS, WHO, WATCH, PING or QUIT (see docs/protocol.md)\nPONG\nPONG\n", client.TakeOutput());
    }

    [Fact]
    public void Sends_RECONNECT_when_the_node_leaves_then_answers_every_line_up_to_QUIT_and_closes()
    {
        var client = new SessionHarness(this).WithBlocksOfAGoneNode().Register(1);

        client.Session.Handle(NodeLeaving.Instance);
        Assert.Equal("RECONNECT:node leaving the cluster; connect to another node\n", client.TakeOutput());
        Assert.False(client.Closed);
        // Others' messages for it are refused from now on.
        Assert.False(client.Local.TryGet(1, out _));

        client.Input("TO:7:still answered\nPING\nQUIT\nTO:7:after quit is ignored\n");

        Assert.Equal("ERROR:UNKNOWN_TARGET:no client 7\nPONG\n", client.TakeOutput());
        Assert.True(client.Closed);
    }

    [Fact]
    public void Answers_what_came_before_the_end_of_input_after_RECONNECT_then_closes()
    {
        var client = new SessionHarness(this).WithBlocksOfAGoneNode().Register(1);
        client.Session.Handle(NodeLeaving.Instance);

        client.Input("PING\nTO:7:x");
        client.EndOfInput();

        Assert.Equal("RECONNECT:node leaving the cluster; connect to another node\nPONG\nERROR:UNKNOWN_TARGET:no client 7\n", client.TakeOutput());
        Assert.True(client.Closed);
    }

    [Fact]
    public void Reads_nothing_more_and_closes_when_the_client_has_not_quit_within_the_reconnect_grace()
    {
        var client = new SessionHarness(this).WithBlocksOfAGoneNode().Register(1);
        client.Session.Handle(NodeLeaving.Instance);
        client.TakeOutput();
        Assert.False(client.IsRunning(SessionTimer.Idle));

        client.Fire(SessionTimer.ReconnectGrace);

        Assert.True(client.Closed);
        client.Input("PING\n");
        Assert.Equal("", client.TakeOutput());
    }

    [Fact]
    public void Closes_at_once_after_RECONNECT_when_the_reconnect_grace_is_zero()
    {
        var client = new SessionHarness(this, "relay.connection.reconnect-grace = 0s").WithBlocksOfAGoneNode().Register(1);

        client.Session.Handle(NodeLeaving.Instance);

        Assert.Equal("RECONNECT:node leaving the cluster; connect to another node\n", client.TakeOutput());
        Assert.True(client.Closed);
    }

    [Fact]
    public void Closes_after_YOUR_ID_when_QUIT_is_the_first_line()
    {
        var client = new SessionHarness(this).Register(1);

        client.Input("QUIT\nTO:1:after quit is ignored\n");

        Assert.Equal("", client.TakeOutput());
        Assert.True(client.Closed);
        client.Connection.ExpectNoMsg(TimeSpan.Zero);
    }

    [Fact]
    public void Gives_up_a_connection_that_gets_no_id_in_time_without_a_word()
    {
        var client = new SessionHarness(this);
        client.Session.Start();

        client.Fire(SessionTimer.Register);

        Assert.True(client.Aborted);
        Assert.False(client.InputRequested);
    }

    [Fact]
    public void Reads_on_after_every_rate_limit_pause_however_the_allowance_refills_meanwhile()
    {
        // A fast rate and a tiny burst: the allowance hovers around zero and refills within
        // microseconds, so it can refill between any two looks the session takes at it.
        var client = new SessionHarness(this, """
            relay.connection.rate-limit.lines-per-second = 1000000
            relay.connection.rate-limit.burst = 1ms
            """).Register(1);
        var blankLines = Encoding.ASCII.GetBytes(new string('\n', 4000));
        var clock = Stopwatch.StartNew();

        // Each read holds four bursts' worth, so each pauses the client; the allowance timer is
        // fired at once, whether or not the allowance has refilled by then.
        for (var pauses = 0; pauses < 5_000 && clock.Elapsed < TimeSpan.FromSeconds(3);)
        {
            if (client.InputRequested)
            {
                client.Input(blankLines);
            }
            else
            {
                Assert.True(
                    client.IsRunning(SessionTimer.Allowance),
                    $"after {pauses} pauses the session neither reads nor waits for its allowance: the client is stuck for good");
                client.Fire(SessionTimer.Allowance);
                pauses++;
            }
        }
    }

    private static int CountOf(string text, string line) =>
        text.Split('\n').Count(l => l + "\n" == line);
}
