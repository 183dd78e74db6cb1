using Akka.Actor;
using Akka.TestKit.Xunit2;
using Relay.Actors.Registry;
using Relay.Actors.Session;

namespace Relay.Actors.Tests.Session;

/// <summary>
/// The partial-line rule is for clients that never end their lines (the seed's), and measures their
/// silence only, never the node's own pauses.
/// </summary>
public sealed class ClientSessionPartialLineSpec : TestKit
{
    [Fact]
    public void Relays_a_line_whole_that_was_split_across_reads_while_reading_waited_for_a_majority_read()
    {
        var client = new SessionHarness(this).WithKnownBlocks().Register(1);

        // A line to a block nobody here has heard of, then the first half of a line to a live client.
        client.Input("TO:11000000:x\nTO:150:MMMM");

        client.LeaseDirectory.ExpectMsg<ResolveBlock>();
        Assert.False(client.InputRequested, "reading went on while a line was held");
        Assert.False(client.IsRunning(SessionTimer.PartialLine), "the node's own wait was taken for the client's silence");

        client.Session.Handle(new BlockResolved((11_000_000 - 1) / 100));

        Assert.True(client.InputRequested);
        Assert.False(client.IsRunning(SessionTimer.PartialLine), "a client that ends its lines had a partial line timed");
        client.Input("-000123\n");
        var batch = client.Registry.FishForMessage<RelayBatch>(message => message is RelayBatch);
        ReadOnlySpan<byte> entries = batch.Entries;
        Assert.True(BatchEntries.TryRead(ref entries, out var target, out var payload));
        Assert.Equal((150L, "MMMM-000123"), (target, System.Text.Encoding.UTF8.GetString(payload)));
    }

    [Fact]
    public void Never_times_out_a_partial_line_of_a_client_that_ends_its_lines()
    {
        var client = new SessionHarness(this).WithBlocksOfAGoneNode().Register(1);

        client.Input("PING\nTO:150:first half");

        Assert.Equal("PONG\n", client.TakeOutput());
        Assert.True(client.InputRequested);
        Assert.False(client.IsRunning(SessionTimer.PartialLine));
        client.Input(" and second half\n");
        Assert.Equal("ERROR:UNKNOWN_TARGET:no client 150\n", client.TakeOutput());
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
    public void Runs_no_partial_line_timer_for_a_seed_style_client_while_its_line_is_held()
    {
        var client = new SessionHarness(this).WithKnownBlocks().Register(1);

        // No newline ever: the first line completes by silence, and is held for a majority read.
        client.Input("TO:11000000:x");
        client.Fire(SessionTimer.PartialLine);
        client.LeaseDirectory.ExpectMsg<ResolveBlock>();
        Assert.False(client.IsRunning(SessionTimer.PartialLine));

        client.Session.Handle(new BlockResolved((11_000_000 - 1) / 100));

        Assert.Equal("ERROR:UNKNOWN_TARGET:no client 11000000\n", client.TakeOutput());
        Assert.True(client.InputRequested);
    }
}
