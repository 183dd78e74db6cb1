namespace Relay.Protocol.Tests.Fuzzing;

/// <summary>Damaged input: mutations of valid bytes, and the random chunks a stream arrives in.</summary>
public static class Mutations
{
    // What a hostile or broken client is likeliest to send in the middle of a line.
    private static readonly byte[][] Inserts =
    [
        [0], [(byte)'\r'], [(byte)'\n'], "\r\n"u8.ToArray(), [(byte)':'], [(byte)' '], [(byte)'{'], [(byte)'"'], [(byte)'\\'],
        [0xFF], [0xC3], [0x80], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xEF, 0xBB, 0xBF],
        "99999999999999999999"u8.ToArray(), "1000000000000000000"u8.ToArray(), "-1"u8.ToArray(), "0"u8.ToArray(),
        "1e400"u8.ToArray(), "\\ud800"u8.ToArray(), "\\u0000"u8.ToArray(), "\\n"u8.ToArray(), "null"u8.ToArray(),
        "[[[[[[[[[["u8.ToArray(), "{\"op\":\"error\"}"u8.ToArray(), "ERROR:"u8.ToArray(), "TOACK:"u8.ToArray(),
    ];

    /// <summary>One to a few damages: bit flips, bytes set, removed, repeated or inserted, a cut-off end, a huge run.</summary>
    public static byte[] Mutate(Gen g, byte[] bytes)
    {
        var result = new List<byte>(bytes);
        var damages = g.Between(1, 1 + g.Size / 25);
        for (var i = 0; i < damages; i++)
        {
            var at = g.Below(result.Count + 1);
            switch (g.Below(9))
            {
                case 0 when result.Count > 0:
                    at = g.Below(result.Count);
                    result[at] ^= (byte)(1 << g.Below(8));
                    break;
                case 1 when result.Count > 0:
                    result[g.Below(result.Count)] = g.Byte();
                    break;
                case 2:
                    result.RemoveRange(at, g.Below(Math.Min(8, result.Count - at) + 1));
                    break;
                case 3:
                    result.RemoveRange(at, result.Count - at);
                    break;
                case 4:
                    var length = g.Below(Math.Min(16, result.Count - at) + 1);
                    result.InsertRange(at, result.GetRange(at, length));
                    break;
                case 5:
                    result.InsertRange(at, g.RandomBytes(g.Between(1, 4)));
                    break;
                case 6 when g.OneIn(12):
                    // Long enough to cross any line limit the properties use, 64 KiB included.
                    result.InsertRange(at, Enumerable.Repeat(g.Pick(Inserts)[0], g.Between(1, 70_000)));
                    break;
                default:
                    result.InsertRange(at, g.Pick(Inserts));
                    break;
            }
        }

        return result.ToArray();
    }

    /// <summary>Where a stream is cut into chunks: not at all, at every byte, or at random points.</summary>
    public static int[] Cuts(Gen g, int length)
    {
        if (length == 0)
            return [];
        return g.Below(6) switch
        {
            0 => [],
            1 => Enumerable.Range(1, length - 1).ToArray(),
            _ => Enumerable.Range(0, g.Below(Math.Min(length, 40)))
                .Select(_ => g.Between(1, Math.Max(1, length - 1)))
                .Distinct()
                .Order()
                .ToArray(),
        };
    }

    /// <summary>The chunks <paramref name="cuts"/> make of <paramref name="bytes"/>.</summary>
    public static IEnumerable<ArraySegment<byte>> Chunks(byte[] bytes, int[] cuts)
    {
        var start = 0;
        foreach (var cut in cuts.Append(bytes.Length))
        {
            if (cut > start)
                yield return new ArraySegment<byte>(bytes, start, cut - start);
            start = Math.Max(start, cut);
        }
    }

    /// <summary>A stream of lines as a client might send them: valid commands, their variants, damaged lines and noise.</summary>
    public static byte[] Stream(Gen g)
    {
        var stream = new List<byte>();
        var lines = g.Between(0, 1 + g.Size / 3);
        for (var i = 0; i < lines; i++)
        {
            var command = Commands.Valid(g);
            stream.AddRange(g.Below(6) switch
            {
                0 => Commands.Variant(g, command),
                1 => Mutate(g, Commands.Line(command)),
                2 => g.ProtocolishBytes(g.Length()),
                3 => g.RandomBytes(g.Below(20)),
                4 => Commands.Json(g, Commands.Valid(g, lineBreakFree: true), []),
                _ => Commands.Line(command),
            });
            stream.AddRange(g.Below(5) switch
            {
                0 => "\r\n"u8.ToArray(),
                1 when g.OneIn(4) => "\n\n\n"u8.ToArray(),
                _ => "\n"u8.ToArray(),
            });
        }

        // A stream may stop in the middle of a line.
        if (g.OneIn(3))
            stream.AddRange(g.ProtocolishBytes(g.Length()));
        return stream.ToArray();
    }

    public static string Describe(int[] cuts) => cuts.Length == 0 ? "one chunk" : "cut at " + string.Join(',', cuts);
}
