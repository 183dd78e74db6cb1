using Xunit.Abstractions;

namespace Relay.Protocol.Tests.Fuzzing;

/// <summary>The framer over random, damaged and valid streams, in random chunks, with a sink that fills up.</summary>
[Collection(PropertiesCollection.Name)]
public sealed class FramerProperties(ITestOutputHelper output)
{
    private const string TooLong = "TOO_LONG";

    private static readonly IReadOnlySet<int> NoSilence = new HashSet<int>();

    [Property]
    public void Framer_emits_the_lines_of_the_whole_stream_whatever_the_chunking_and_pauses() =>
        Fuzz.Check(output, 400, g =>
        {
            var max = Limit(g);
            var stream = g.Show("stream", Stream(g));
            var cuts = Mutations.Cuts(g, stream.Length);
            g.Show("chunks", $"{Mutations.Describe(cuts)}; max-line-bytes {max}");

            var framed = Frame(g, stream, cuts, NoSilence, max, bound: null);

            Assert.Equal(Reference(stream, NoSilence, max), framed);
        });

    [Property]
    public void Framer_completes_an_unterminated_line_at_a_silence_as_if_the_line_ended_there() =>
        Fuzz.Check(output, 300, g =>
        {
            var max = Limit(g);
            var stream = g.Show("stream", Stream(g));
            var cuts = Mutations.Cuts(g, stream.Length);
            // The partial-line timeout of a client that never sends a newline fires between two reads.
            var silences = cuts.Where(_ => g.OneIn(3)).ToHashSet();
            g.Show("chunks", $"{Mutations.Describe(cuts)}; silences after {string.Join(',', silences.Order())}; max-line-bytes {max}");

            var framed = Frame(g, stream, cuts, silences, max, bound: null);

            Assert.Equal(Reference(stream, silences, max), framed);
        });

    [Property]
    public void Framer_never_holds_more_of_a_line_than_its_limit_plus_a_carriage_return() =>
        Fuzz.Check(output, 200, g =>
        {
            var max = Limit(g);
            // Lines around and far beyond the limit, so that it is crossed in every way.
            var stream = new List<byte>();
            for (var lines = g.Between(1, 4); lines > 0; lines--)
            {
                stream.AddRange(Enumerable.Repeat((byte)'x', g.Pick([max - 1, max, max + 1, max + 2, g.Below(3 * max + 3)])));
                stream.AddRange(g.Pick(new[] { "\n"u8.ToArray(), "\r\n"u8.ToArray(), "\r"u8.ToArray(), [] }));
            }

            var bytes = g.Show("stream", stream.ToArray());
            var cuts = Mutations.Cuts(g, bytes.Length);
            g.Show("chunks", $"{Mutations.Describe(cuts)}; max-line-bytes {max}");

            Frame(g, bytes, cuts, NoSilence, max, bound: max + 1);
        });

    private static int Limit(Gen g) => g.Below(4) switch
    {
        0 => g.Between(1, 8),
        1 => 64 * 1024,
        _ => g.Between(1, 300),
    };

    private static byte[] Stream(Gen g) => g.Below(4) switch
    {
        0 => g.RandomBytes(g.Length() * 8),
        1 => Mutations.Mutate(g, Mutations.Stream(g)),
        _ => Mutations.Stream(g),
    };

    /// <summary>
    /// Feeds the chunks as a session does: when the sink is full, nothing new is fed until what
    /// the framer kept has been fed (the sink taking a few more lines each time); after a chunk
    /// that ends at one of <paramref name="silences"/> the partial line counts as complete; at the
    /// end the unterminated rest does, as when the client half-closes.
    /// </summary>
    private static List<string> Frame(Gen g, byte[] stream, int[] cuts, IReadOnlySet<int> silences, int max, int? bound)
    {
        var sink = new Sink { FullAt = g.OneIn(3) ? g.Below(4) : int.MaxValue };
        using var framer = new LineFramer(max);
        foreach (var chunk in Mutations.Chunks(stream, cuts))
        {
            framer.Feed(chunk, sink);
            Check(framer, bound);
            while (framer.HasUnread)
            {
                sink.FullAt = sink.Lines.Count + g.Between(1, 3);
                framer.FeedUnread(sink);
                Check(framer, bound);
            }

            if (silences.Contains(chunk.Offset + chunk.Count))
                framer.CompletePartialLine(sink);
        }

        framer.CompletePartialLine(sink);
        Assert.False(framer.HasPartialLine);
        return sink.Lines;
    }

    private static void Check(LineFramer framer, int? bound)
    {
        if (bound is { } most)
            Assert.InRange(framer.PartialLineBytes, 0, most);
    }

    /// <summary>
    /// What the framing rules say of the whole stream at once: split at LF (and at a silence, if
    /// a line has begun), one CR before the end dropped, long lines refused.
    /// </summary>
    private static List<string> Reference(byte[] stream, IReadOnlySet<int> silences, int max)
    {
        var lines = new List<string>();
        void Line(ReadOnlySpan<byte> piece)
        {
            if (!piece.IsEmpty && piece[^1] == (byte)'\r')
                piece = piece[..^1];
            lines.Add(piece.Length > max ? TooLong : Convert.ToHexString(piece));
        }

        var start = 0;
        for (var at = 0; at <= stream.Length; at++)
        {
            // A silence at a boundary comes before the byte after it: a line feed then ends an empty line.
            if ((silences.Contains(at) || at == stream.Length) && at > start)
            {
                Line(stream.AsSpan(start, at - start));
                start = at;
            }

            if (at < stream.Length && stream[at] == (byte)'\n')
            {
                Line(stream.AsSpan(start, at - start));
                start = at + 1;
            }
        }

        return lines;
    }

    private sealed class Sink : ILineSink
    {
        public List<string> Lines { get; } = new();

        public int FullAt { get; set; }

        public bool IsFull => Lines.Count >= FullAt;

        public void OnLine(ReadOnlySpan<byte> line) => Lines.Add(Convert.ToHexString(line));

        public void OnLineTooLong() => Lines.Add(TooLong);
    }
}
