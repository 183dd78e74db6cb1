using Akka.Actor;
using Akka.TestKit.Xunit2;
using Relay.Actors.Registry;
using Relay.Actors.Session;

namespace Relay.Actors.Tests.Session;

/// <summary>The partial-line rule applies to the client's silence only, never to the node's own pauses.</summary>
public sealed class ClientSessionPartialLineSpec : TestKit
{
    [Fact]
    public void Runs_no_partial_line_timer_while_reading_waits_for_a_majority_read()
    {
        var client = new SessionHarness(this).WithKnownBlocks().Register(1);

        // A line to a block nobody here has heard of, then the first half of a line to a live client.
        client.Input("TO:11000000:x\nTO:150:MMMM");

        client.LeaseDirectory.ExpectMsg<ResolveBlock>();
        Assert.False(client.InputRequested, "reading went on while a line was held");
        Assert.False(client.IsRunning(SessionTimer.PartialLine), "the node's own wait was taken for the client's silence");

        client.Session.Handle(new BlockResolved((11_000_000 - 1) / 100));

        Assert.True(client.InputRequested);
        Assert.True(client.IsRunning(SessionTimer.PartialLine));
        client.Input("-000123\n");
        Assert.False(client.IsRunning(SessionTimer.PartialLine));
        var batch = client.Registry.FishForMessage<RelayBatch>(message => message is RelayBatch);
        ReadOnlySpan<byte> entries = batch.Entries;
        Assert.True(BatchEntries.TryRead(ref entries, out var target, out var payload));
        Assert.Equal((150L, "MMMM-000123"), (target, System.Text.Encoding.UTF8.GetString(payload)));
    }

    [Fact]
    public void Completes_an_unterminated_line_after_the_client_stays_quiet()
    {
        var client = new SessionHarness(this).WithBlocksOfAGoneNode().Register(1);

        // The seed's client: "TO:2:hi" with no newline, then it waits.
        client.Input("TO:150:hi");
        client.Fire(SessionTimer.PartialLine);

        Assert.Equal("ERROR:UNKNOWN_TARGET:no client 150\n", client.TakeOutput());
        Assert.False(client.IsRunning(SessionTimer.PartialLine));
    }

    [Fact]
    public void Runs_no_partial_line_timer_while_reading_is_paused_for_unread_replies()
    {
        var client = new SessionHarness(this).Register(1);
        var flood = string.Concat(Enumerable.Repeat("x\n", 4096));

        while (client.InputRequested)
            client.Input(flood + "TO:1:half a li");

        Assert.False(client.IsRunning(SessionTimer.PartialLine));
        client.TakeOutput();
        Assert.True(client.IsRunning(SessionTimer.PartialLine));
    }
}
