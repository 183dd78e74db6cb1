using System.Text;
using Relay.Protocol.Udp;

namespace Relay.Protocol.Tests.Udp;

public sealed class DatagramsTests
{
    [Theory]
    [InlineData("PING", DatagramKind.Line, "PING")]
    [InlineData("PING\n", DatagramKind.Line, "PING")]
    [InlineData("PING\r\n", DatagramKind.Line, "PING")]
    [InlineData("TO:2:a\rb", DatagramKind.Line, "TO:2:a\rb")]
    [InlineData("", DatagramKind.Blank, "")]
    [InlineData("\n", DatagramKind.Blank, "")]
    [InlineData(" \t\r\n", DatagramKind.Blank, " \t")]
    [InlineData("PING\nPING", DatagramKind.SeveralLines, "PING\nPING")]
    [InlineData("PING\nPING\n", DatagramKind.SeveralLines, "PING\nPING")]
    [InlineData("ERROR:NO_SESSION:send HELLO first\n", DatagramKind.Reply, "ERROR:NO_SESSION:send HELLO first")]
    [InlineData("{\"op\":\"error\",\"code\":\"X\"}", DatagramKind.Reply, "{\"op\":\"error\",\"code\":\"X\"}")]
    [InlineData("{\"op\":\"ping\"}", DatagramKind.Line, "{\"op\":\"ping\"}")]
    [InlineData("{ \"code\" : \"X\", \"op\" : \"error\" }", DatagramKind.Reply, "{ \"code\" : \"X\", \"op\" : \"error\" }")]
    [InlineData("ALL:5:hi", DatagramKind.ServerLine, "ALL:5:hi")]
    [InlineData("all:12:5:hi", DatagramKind.ServerLine, "all:12:5:hi")]
    [InlineData("ROOM:dev:5:hi", DatagramKind.ServerLine, "ROOM:dev:5:hi")]
    [InlineData("ALL:5 o'clock", DatagramKind.Line, "ALL:5 o'clock")]
    [InlineData("ALL::5:", DatagramKind.Line, "ALL::5:")]
    [InlineData("ROOM:dev:hi 5:", DatagramKind.Line, "ROOM:dev:hi 5:")]
    public void Reads_one_line_per_datagram_and_tells_blank_several_and_server_replies_apart(string datagram, DatagramKind kind, string line)
    {
        Assert.Equal(kind, Datagrams.Read(Encoding.UTF8.GetBytes(datagram), out var read));
        Assert.Equal(line, Encoding.UTF8.GetString(read));
    }

    [Theory]
    [InlineData("HELLO", true, false)]
    [InlineData("hello", true, false)]
    [InlineData(" Hello ", true, false)]
    [InlineData("{\"op\":\"hello\"}", true, true)]
    [InlineData("{\"op\":\"hello\",\"ref\":\"h1\"}", true, true)]
    [InlineData("HELLO:x", false, false)]
    [InlineData("PING", false, false)]
    [InlineData("{\"op\":\"ping\"}", false, true)]
    [InlineData("{\"op\":\"hello\",\"bogus\":1}", false, true)]
    [InlineData("{", false, true)]
    public void Knows_the_datagram_that_opens_a_session_in_either_protocol(string line, bool hello, bool json)
    {
        Assert.Equal(hello, Datagrams.IsHello(Encoding.UTF8.GetBytes(line), out var isJson));
        Assert.Equal(json, isJson);
    }

    [Theory]
    [InlineData(1, 59)]
    [InlineData(5, 71)]
    [InlineData(100, 356)]
    public void Allows_replies_of_three_times_the_datagram_on_the_wire(int datagramBytes, int replyBytes)
    {
        Assert.Equal(replyBytes, Datagrams.ReplyBudget(datagramBytes));
        Assert.Equal(3 * (datagramBytes + Datagrams.HeaderBytes), replyBytes + Datagrams.HeaderBytes);
    }

    [Fact]
    public void Packs_whole_lines_into_datagrams_up_to_the_limit_and_never_splits_a_line()
    {
        var lines = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 10).Select(i => $"FROM:1:{new string('x', 90)}{i}\n")));

        var sizes = new List<int>();
        for (var offset = 0; offset < lines.Length;)
        {
            var length = Datagrams.NextDatagramLength(lines.AsSpan(offset), 300);
            Assert.Equal((byte)'\n', lines[offset + length - 1]);
            sizes.Add(length);
            offset += length;
        }

        // 99-byte lines: three fit in 300 bytes, four do not.
        Assert.Equal([297, 297, 297, 99], sizes);
    }

    [Fact]
    public void Sends_a_line_longer_than_the_limit_alone()
    {
        var lines = Encoding.ASCII.GetBytes($"FROM:1:short\nFROM:1:{new string('x', 500)}\nFROM:1:after\n");

        var first = Datagrams.NextDatagramLength(lines, 300);
        var second = Datagrams.NextDatagramLength(lines.AsSpan(first), 300);
        var third = Datagrams.NextDatagramLength(lines.AsSpan(first + second), 300);

        Assert.Equal(("FROM:1:short\n".Length, 508, "FROM:1:after\n".Length), (first, second, third));
    }

    [Fact]
    public void Fills_a_datagram_exactly_to_the_limit()
    {
        var lines = Encoding.ASCII.GetBytes("0123456789\n0123456789\n0123456789\n");

        Assert.Equal(22, Datagrams.NextDatagramLength(lines, 22));
        Assert.Equal(22, Datagrams.NextDatagramLength(lines, 32));
        Assert.Equal(33, Datagrams.NextDatagramLength(lines, 33));
    }
}
