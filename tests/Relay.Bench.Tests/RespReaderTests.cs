using System.Text;
using Relay.Protocol;

namespace Relay.Bench.Tests;

/// <summary>Reading Redis's RESP3 replies line by line: deliveries, the handshake's end, errors, and nothing mistaken for a payload.</summary>
public sealed class RespReaderTests
{
    // What redis-server 7.0.15 answered to HELLO 3, SUBSCRIBE rb.1, PING (recorded from a real server).
    private const string Handshake =
        "%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$6\r\n7.0.15\r\n$5\r\nproto\r\n:3\r\n$2\r\nid\r\n:3\r\n"
        + "$4\r\nmode\r\n$10\r\nstandalone\r\n$4\r\nrole\r\n$6\r\nmaster\r\n$7\r\nmodules\r\n*0\r\n"
        + ">3\r\n$9\r\nsubscribe\r\n$4\r\nrb.1\r\n:1\r\n+PONG\r\n";

    [Fact]
    public void The_handshake_ends_at_PONG_and_nothing_before_it_is_a_message_or_an_error()
    {
        var read = ReadAll(Handshake);

        Assert.Equal("+PONG", Assert.Single(read, r => r.Kind == ReceivedKind.Greeting).Line);
        Assert.Equal("+PONG", read[^1].Line);
        Assert.All(read.SkipLast(1), r => Assert.Equal(ReceivedKind.Control, r.Kind));
    }

    [Fact]
    public void A_delivery_is_the_payload_of_a_message_push()
    {
        var read = ReadAll(">3\r\n$7\r\nmessage\r\n$4\r\nrb.1\r\n$12\r\n0000000001xx\r\n");

        Assert.Equal(["Control", "Control", "Control", "Control", "Control", "Control", "From"], read.Select(r => r.Kind.ToString()));
        Assert.Equal("0000000001xx", read[^1].Text);
    }

    [Theory]
    [InlineData("+PONG")]
    [InlineData(":0")]
    [InlineData("-ERR")]
    [InlineData("*3")]
    [InlineData("$5")]
    [InlineData("message")]
    public void A_payload_that_looks_like_a_reply_is_still_a_payload(string payload)
    {
        var read = ReadAll($">3\r\n$7\r\nmessage\r\n$4\r\nrb.1\r\n${payload.Length}\r\n{payload}\r\n+PONG\r\n");

        Assert.Equal(ReceivedKind.From, read[^2].Kind);
        Assert.Equal(payload, read[^2].Text);
        Assert.Equal(ReceivedKind.Greeting, read[^1].Kind);
    }

    [Fact]
    public void A_channel_named_message_does_not_make_a_subscribe_confirmation_a_delivery()
    {
        var read = ReadAll(">3\r\n$9\r\nsubscribe\r\n$7\r\nmessage\r\n:1\r\n");

        Assert.All(read, r => Assert.Equal(ReceivedKind.Control, r.Kind));
    }

    [Theory]
    [InlineData(":1", "Control")]
    [InlineData(":1000", "Control")]
    [InlineData(":0", "Other")]          // published to nobody: that message is lost
    [InlineData("-ERR unknown command 'HELLO'", "Other")]
    [InlineData("+OK", "Control")]
    [InlineData("", "Other")]
    [InlineData("$x", "Other")]
    public void Publish_replies_and_errors(string line, string kind) =>
        Assert.Equal(kind, ReadAll(line + "\r\n").Single().Kind.ToString());

    [Fact]
    public void Nested_and_empty_aggregates_are_followed_to_their_end()
    {
        // A map holding an array of arrays, then a null bulk and a set, then a delivery: the delivery is still found.
        var read = ReadAll("%1\r\n$1\r\nk\r\n*2\r\n*1\r\n:5\r\n*0\r\n$-1\r\n~1\r\n,1.5\r\n>3\r\n$7\r\nmessage\r\n$1\r\nc\r\n$2\r\nok\r\n");

        Assert.Equal(["ok"], read.Where(r => r.Kind == ReceivedKind.From).Select(r => r.Text));
        Assert.DoesNotContain(read, r => r.Kind == ReceivedKind.Other);
    }

    [Fact]
    public void Verbatim_strings_and_blob_errors_have_a_content_line()
    {
        var read = ReadAll("=8\r\ntxt:+PON\r\n!5\r\noops!\r\n+PONG\r\n");

        Assert.Equal(["Control", "Control", "Control", "Other", "Greeting"], read.Select(r => r.Kind.ToString()));
    }

    [Fact]
    public void A_payload_cut_by_a_line_end_inside_it_is_an_error_not_a_wrong_message()
    {
        var read = ReadAll(">3\r\n$7\r\nmessage\r\n$1\r\nc\r\n$5\r\nab\r\nc\r\n");

        Assert.DoesNotContain(read, r => r.Kind == ReceivedKind.From);
        Assert.Contains(read, r => r.Kind == ReceivedKind.Other);
    }

    [Fact]
    public void Reads_the_same_however_the_stream_is_cut()
    {
        var stream = Handshake + ">3\r\n$7\r\nmessage\r\n$4\r\nrb.1\r\n$3\r\nabc\r\n:1\r\n>3\r\n$7\r\nmessage\r\n$4\r\nrb.1\r\n$3\r\ndef\r\n";
        var whole = ReadAll(stream);
        var byteByByte = ReadAll(stream, chunk: 1);

        Assert.Equal(whole, byteByByte);
        Assert.Equal(["abc", "def"], whole.Where(r => r.Kind == ReceivedKind.From).Select(r => r.Text));
    }

    /// <summary>Feeds <paramref name="stream"/> through the project's line framer (as the load tool does) into one reader.</summary>
    internal static List<Read> ReadAll(string stream, int? chunk = null, ILineReader? reader = null)
    {
        var sink = new ReaderSink(reader ?? new RespReader());
        using var framer = new LineFramer(4096);
        var bytes = Encoding.ASCII.GetBytes(stream);
        var size = chunk ?? bytes.Length;
        for (var at = 0; at < bytes.Length; at += size)
            framer.Feed(bytes.AsSpan(at, Math.Min(size, bytes.Length - at)), sink);
        return sink.Reads;
    }

    internal sealed record Read(string Line, ReceivedKind Kind, string Text);

    private sealed class ReaderSink(ILineReader reader) : ILineSink
    {
        public List<Read> Reads { get; } = new();

        public void OnLine(ReadOnlySpan<byte> line)
        {
            var kind = reader.Read(line, out var text);
            Reads.Add(new(Encoding.ASCII.GetString(line), kind, Encoding.ASCII.GetString(text)));
        }

        public void OnLineTooLong() => throw new InvalidOperationException("no line here is that long");
    }
}
