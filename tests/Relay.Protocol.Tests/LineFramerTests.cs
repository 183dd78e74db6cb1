using System.Text;

namespace Relay.Protocol.Tests;

public sealed class LineFramerTests
{
    private readonly RecordingSink _sink = new();

    [Fact]
    public void Delivers_every_line_of_a_chunk_in_order()
    {
        using var framer = new LineFramer(100);

        framer.Feed("TO:1:a\nTO:2:b\nPING\n"u8, _sink);

        Assert.Equal(["TO:1:a", "TO:2:b", "PING"], _sink.Lines);
        Assert.False(framer.HasPartialLine);
    }

    [Fact]
    public void Stops_between_lines_while_the_sink_is_full_and_feeds_the_rest_later_in_order()
    {
        using var framer = new LineFramer(100);
        _sink.FullAt = 2;

        framer.Feed("a\nb\nc\nd\npart"u8, _sink);

        Assert.Equal(["a", "b"], _sink.Lines);
        Assert.True(framer.HasUnread);
        framer.FeedUnread(_sink);
        Assert.Equal(["a", "b"], _sink.Lines);

        _sink.FullAt = 3;
        framer.FeedUnread(_sink);
        Assert.Equal(["a", "b", "c"], _sink.Lines);

        _sink.FullAt = int.MaxValue;
        framer.FeedUnread(_sink);
        Assert.Equal(["a", "b", "c", "d"], _sink.Lines);
        Assert.False(framer.HasUnread);
        Assert.True(framer.HasPartialLine);
        framer.Feed("ial\n"u8, _sink);
        Assert.Equal(["a", "b", "c", "d", "partial"], _sink.Lines);
    }

    [Fact]
    public void Joins_a_line_split_at_every_possible_point()
    {
        var bytes = Encoding.UTF8.GetBytes("TO:12:안녕 B야\r\nPING\n");
        for (var split = 0; split <= bytes.Length; split++)
        {
            var sink = new RecordingSink();
            using var framer = new LineFramer(100);

            framer.Feed(bytes.AsSpan(0, split), sink);
            framer.Feed(bytes.AsSpan(split), sink);

            Assert.Equal(["TO:12:안녕 B야", "PING"], sink.Lines);
        }
    }

    [Fact]
    public void Frames_a_stream_fed_one_byte_at_a_time()
    {
        using var framer = new LineFramer(100);

        foreach (var b in "TO:1:x\r\nTO:2:y\n"u8.ToArray())
            framer.Feed([b], _sink);

        Assert.Equal(["TO:1:x", "TO:2:y"], _sink.Lines);
    }

    [Fact]
    public void Accepts_crlf_and_lf_and_keeps_other_carriage_returns()
    {
        using var framer = new LineFramer(100);

        framer.Feed("a\r\nb\nc\rd\n\r\n"u8, _sink);

        Assert.Equal(["a", "b", "c\rd", ""], _sink.Lines);
    }

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    public void Accepts_a_line_of_exactly_the_limit(string terminator)
    {
        using var framer = new LineFramer(10);

        framer.Feed(Encoding.ASCII.GetBytes("0123456789" + terminator), _sink);
        framer.Feed(Encoding.ASCII.GetBytes("01234" + terminator), _sink);
        framer.Feed(Encoding.ASCII.GetBytes("56789" + terminator), _sink);

        Assert.Equal(["0123456789", "0123456789"[..5], "56789"], _sink.Lines);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4096)]
    public void Refuses_a_line_one_byte_over_the_limit_and_frames_the_next(int chunkSize)
    {
        using var framer = new LineFramer(10);
        var stream = Encoding.ASCII.GetBytes("0123456789A\r\nok\n");

        for (var offset = 0; offset < stream.Length; offset += chunkSize)
            framer.Feed(stream.AsSpan(offset, Math.Min(chunkSize, stream.Length - offset)), _sink);

        Assert.Equal([RecordingSink.TooLong, "ok"], _sink.Lines);
    }

    [Fact]
    public void Reports_a_streaming_overlong_line_once_as_soon_as_it_crosses_the_limit()
    {
        using var framer = new LineFramer(64 * 1024);
        var chunk = new byte[4096];
        chunk.AsSpan().Fill((byte)'x');

        // 5 + 15 × 4096 bytes fit in 64 KiB; the next chunk crosses it.
        framer.Feed("TO:2:"u8, _sink);
        for (var i = 0; i < 15; i++)
            framer.Feed(chunk, _sink);
        Assert.Empty(_sink.Lines);

        framer.Feed(chunk, _sink);
        Assert.Equal([RecordingSink.TooLong], _sink.Lines);

        for (var i = 0; i < 500; i++)
            framer.Feed(chunk, _sink);
        framer.Feed("x\nPING\n"u8, _sink);

        Assert.Equal([RecordingSink.TooLong, "PING"], _sink.Lines);
    }

    [Fact]
    public void Completes_an_unterminated_line_when_asked()
    {
        using var framer = new LineFramer(100);

        framer.Feed("TO:2:no newline"u8, _sink);
        Assert.True(framer.HasPartialLine);
        Assert.Empty(_sink.Lines);

        framer.CompletePartialLine(_sink);
        framer.Feed("TO:2:next\n"u8, _sink);

        Assert.Equal(["TO:2:no newline", "TO:2:next"], _sink.Lines);
        Assert.False(framer.HasPartialLine);
    }

    [Fact]
    public void Completing_ends_the_skipping_of_an_overlong_line()
    {
        using var framer = new LineFramer(4);

        framer.Feed("0123456789"u8, _sink);
        framer.CompletePartialLine(_sink);
        framer.Feed("ok\n"u8, _sink);

        Assert.Equal([RecordingSink.TooLong, "ok"], _sink.Lines);
    }

    [Fact]
    public void Completing_with_nothing_buffered_delivers_nothing()
    {
        using var framer = new LineFramer(100);

        framer.Feed("a\n"u8, _sink);
        framer.CompletePartialLine(_sink);

        Assert.Equal(["a"], _sink.Lines);
    }
}
