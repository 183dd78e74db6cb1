namespace Relay.Bench.Tests;

/// <summary>Reading what a NATS server sends line by line: a MSG line, then its payload; PONG ends the handshake.</summary>
public sealed class NatsReaderTests
{
    private static List<RespReaderTests.Read> ReadAll(string stream, int? chunk = null) =>
        RespReaderTests.ReadAll(stream, chunk, new NatsReader());

    [Fact]
    public void The_handshake_ends_at_PONG_after_INFO()
    {
        var read = ReadAll("INFO {\"server_id\":\"N1\",\"version\":\"2.9.10\",\"max_payload\":1048576} \r\nPONG\r\n");

        Assert.Equal(["Control", "Greeting"], read.Select(r => r.Kind.ToString()));
    }

    [Fact]
    public void A_delivery_is_the_line_after_MSG_with_or_without_a_reply_subject()
    {
        var read = ReadAll("MSG rb.1 1 12\r\n0000000001xx\r\nMSG rb.1 1 _INBOX.x 3\r\nabc\r\n");

        Assert.Equal(["Control", "From", "Control", "From"], read.Select(r => r.Kind.ToString()));
        Assert.Equal(["0000000001xx", "abc"], read.Where(r => r.Kind == ReceivedKind.From).Select(r => r.Text));
    }

    [Theory]
    [InlineData("PONG")]
    [InlineData("-ERR 'x'")]
    [InlineData("MSG a 1 4")]
    [InlineData("")]
    public void A_payload_that_looks_like_an_operation_is_still_a_payload(string payload)
    {
        var read = ReadAll($"MSG rb.1 1 {payload.Length}\r\n{payload}\r\nPONG\r\n");

        Assert.Equal(ReceivedKind.From, read[1].Kind);
        Assert.Equal(payload, read[1].Text);
        Assert.Equal(ReceivedKind.Greeting, read[2].Kind);
    }

    [Theory]
    [InlineData("PING", "Control")]
    [InlineData("+OK", "Control")]
    [InlineData("-ERR 'Slow Consumer Detected'", "Other")]
    [InlineData("MSG rb.1 1 x", "Other")]
    [InlineData("MSG rb.1 1 -3", "Other")]
    [InlineData("HMSG rb.1 1 10 20", "Other")]
    [InlineData("WHAT", "Other")]
    public void Operations_and_errors(string line, string kind) =>
        Assert.Equal(kind, ReadAll(line + "\r\n").Single().Kind.ToString());

    [Fact]
    public void A_payload_cut_by_a_line_end_inside_it_is_an_error_not_a_wrong_message()
    {
        var read = ReadAll("MSG rb.1 1 5\r\nab\r\nc\r\n");

        Assert.Equal(ReceivedKind.Other, read[1].Kind);
        Assert.DoesNotContain(read, r => r.Kind == ReceivedKind.From);
    }

    [Fact]
    public void Reads_the_same_however_the_stream_is_cut()
    {
        const string stream = "INFO {} \r\nPONG\r\nMSG rb.1 1 3\r\nabc\r\nPING\r\nMSG rb.1 1 3\r\ndef\r\n";

        Assert.Equal(ReadAll(stream), ReadAll(stream, chunk: 1));
        Assert.Equal(["abc", "def"], ReadAll(stream, chunk: 3).Where(r => r.Kind == ReceivedKind.From).Select(r => r.Text));
    }
}
