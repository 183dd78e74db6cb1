using Akka.TestKit.Xunit2;
using Relay.Actors.Registry;
using Relay.Actors.Session;

namespace Relay.Actors.Tests.Session;

/// <summary>The session without a socket: exactly the byte sequences and pauses that broke nodes before.</summary>
public sealed class ClientSessionSpec : TestKit
{
    private const string SmallLines = "relay.connection.max-line-bytes = 1 KiB";

    [Theory]
    [MemberData(nameof(ReplyCases))]
    public void Sends_the_reply_then_closes_when_QUIT_follows_in_the_same_read(byte[] line, string reply)
    {
        var client = new SessionHarness(this, SmallLines).WithBlocksOfAGoneNode().Register(1);

        client.Input([.. line, .. "QUIT\n"u8]);

        Assert.Equal(reply, client.TakeOutput());
        Assert.True(client.Closed, "the connection was not closed after QUIT");
        Assert.Equal(SessionState.Closed, client.Session.State);
    }

    [Theory]
    [MemberData(nameof(ReplyCases))]
    public void Sends_the_reply_then_closes_when_the_client_disconnects_after_the_line(byte[] line, string reply)
    {
        var client = new SessionHarness(this, SmallLines).WithBlocksOfAGoneNode().Register(1);

        client.Input(line);
        client.EndOfInput();

        Assert.Equal(reply, client.TakeOutput());
        Assert.True(client.Closed, "the connection was not closed at end of input");
    }

    [Theory]
    [MemberData(nameof(ReplyCases))]
    public void Sends_the_reply_and_answers_more_input_in_the_same_read(byte[] line, string reply)
    {
        var client = new SessionHarness(this, SmallLines).WithBlocksOfAGoneNode().Register(1);

        client.Input([.. line, .. "PING\n"u8]);

        Assert.Equal(reply + "PONG\n", client.TakeOutput());
        Assert.True(client.InputRequested, "the session stopped reading");
        Assert.False(client.Closed);
    }

    [Fact]
    public void Delivers_what_was_reserved_for_it_before_QUIT_and_only_then_closes()
    {
        var client = new SessionHarness(this).WithBlocksOfAGoneNode().Register(1);

        client.Input("TO:1:to myself\nQUIT\n");

        // The line to itself is on its way through the actor's mailbox: the session waits for it.
        Assert.Equal("", client.TakeOutput());
        Assert.False(client.Closed, "closed with a delivery reserved and not yet arrived");
        client.ProcessMailbox();
        Assert.Equal("FROM:1:to myself\n", client.TakeOutput());
        Assert.True(client.Closed);
    }

    [Fact]
    public void Closes_a_drained_session_whose_reserved_delivery_never_arrives_after_the_barrier_timeout()
    {
        var client = new SessionHarness(this).WithBlocksOfAGoneNode().Register(1);
        Assert.True(client.Local.TryGet(1, out var inbox));
        Assert.True(inbox.TryReserve(10));

        client.Input("QUIT\n");
        client.TakeOutput();
        Assert.False(client.Closed);

        client.Fire(SessionTimer.Drain);
        client.TakeOutput();
        Assert.True(client.Closed);
    }

    [Fact]
    public void Answers_a_read_full_of_list_requests_a_part_at_a_time_as_the_client_takes_the_replies()
    {
        // 16 KiB before reading pauses; each WHO reply is ~3.5 KB (500 ids of 6 digits).
        var presence = new Relay.Actors.Presence.ClusterPresence(new Relay.Actors.Presence.NodePresence());
        for (var id = 100_000; id < 100_500; id++)
            presence.Local.Online(id);
        var client = new SessionHarness(this, "relay.connection.max-outbound-bytes = 64 KiB\nrelay.connection.max-line-bytes = 1 KiB", presence: presence)
            .WithBlocksOfAGoneNode().Register(1);

        client.Input(string.Concat(Enumerable.Repeat("WHO\n", 1000)));

        // The session never holds more than the pause threshold plus one reply, however many the read asked for.
        var replies = 0;
        for (var round = 0; round < 2000 && replies < 1000; round++)
        {
            Assert.InRange(client.Session.QueuedBytes, 0, 16 * 1024 + 4096);
            replies += client.TakeOutput().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
        }

        Assert.Equal(1000, replies);
        Assert.False(client.Aborted, "disconnected for its own replies");
        Assert.True(client.InputRequested, "the session did not read on once the read was answered");
    }

    public static TheoryData<byte[], string> ReplyCases() => new()
    {
        { "bad\n"u8.ToArray(), "ERROR:UNKNOWN_COMMAND:expected TO, TOACK, ALL, JOIN, LEAVE, ROOM, ROOMS, MEMBERS, WHO, WATCH, PING or QUIT (see docs/protocol.md)\n" },
        { "TO:0:x\n"u8.ToArray(), "ERROR:BAD_FORMAT:expected TO:<id>:<message> with a positive numeric id\n" },
        { "TO:abc\n"u8.ToArray(), "ERROR:BAD_FORMAT:expected TO:<id>:<message> with a positive numeric id\n" },
        { [.. "TO:1:"u8, 0xFF, (byte)'\n'], "ERROR:BAD_ENCODING:message is not valid UTF-8\n" },
        { "TO:7:nobody\n"u8.ToArray(), "ERROR:UNKNOWN_TARGET:no client 7\n" },
        { "PING\n"u8.ToArray(), "PONG\n" },
        { [.. Enumerable.Repeat((byte)'x', 2000), (byte)'\n'], "ERROR:TOO_LONG:line longer than 1024 bytes discarded\n" },
        { "JOIN:lobby\n"u8.ToArray(), "OK:JOIN:lobby\n" },
        { "JOIN:bad name\n"u8.ToArray(), "ERROR:BAD_NAME:room names and refs are 1-64 characters of A-Z a-z 0-9 _ . -\n" },
        { "LEAVE:lobby\n"u8.ToArray(), "ERROR:NOT_MEMBER:not in room lobby; JOIN:lobby first\n" },
        { "JOIN:lobby\nLEAVE:lobby\n"u8.ToArray(), "OK:JOIN:lobby\nOK:LEAVE:lobby\n" },
        { "ROOM:lobby:hi\n"u8.ToArray(), "ERROR:NOT_MEMBER:not in room lobby; JOIN:lobby first\n" },
        { "ROOM:lobby\n"u8.ToArray(), "ERROR:BAD_FORMAT:expected ROOM:<room>:<message>\n" },
        { "ROOMS\n"u8.ToArray(), "ROOMS:\n" },
        { "JOIN:lobby\nROOMS\n"u8.ToArray(), "OK:JOIN:lobby\nROOMS:lobby=1\n" },
        { "MEMBERS:lobby\n"u8.ToArray(), "MEMBERS:lobby:0:\n" },
        { "WHO\n"u8.ToArray(), "WHO:1:1\n" },
        { "WHO:x\n"u8.ToArray(), "ERROR:BAD_FORMAT:expected WHO or WHO:<last id of the previous page>\n" },
        { "WATCH:ON\n"u8.ToArray(), "OK:WATCH:ON\n" },
        { "WATCH:OFF\n"u8.ToArray(), "OK:WATCH:OFF\n" },
        { "WATCH:maybe\n"u8.ToArray(), "ERROR:BAD_FORMAT:expected WATCH:ON or WATCH:OFF\n" },
        { "TOACK:r1:7:x\n"u8.ToArray(), "ERROR:NOT_DELIVERED:r1:UNKNOWN_TARGET:no client 7\n" },
        { "TOACK:r1:abc:x\n"u8.ToArray(), "ERROR:NOT_DELIVERED:r1:BAD_FORMAT:expected TOACK:<ref>:<id>:<message> with a positive numeric id\n" },
        { [.. "TOACK:r1:7:"u8, 0xFF, (byte)'\n'], "ERROR:NOT_DELIVERED:r1:BAD_ENCODING:message is not valid UTF-8\n" },
        { "TOACK:r5\n"u8.ToArray(), "ERROR:NOT_DELIVERED:r5:BAD_FORMAT:expected TOACK:<ref>:<id>:<message> with a positive numeric id\n" },
        { "TOACK:bad ref:7:x\n"u8.ToArray(), "ERROR:BAD_NAME:room names and refs are 1-64 characters of A-Z a-z 0-9 _ . -\n" },
    };
}
