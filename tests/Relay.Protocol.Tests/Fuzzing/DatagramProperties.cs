using System.Buffers;
using System.Text;
using Relay.Protocol.Json;
using Relay.Protocol.Udp;
using Xunit.Abstractions;

namespace Relay.Protocol.Tests.Fuzzing;

/// <summary>UDP framing (<see cref="Datagrams"/>) and the reply budget that keeps the node from being an amplifier.</summary>
[Collection(PropertiesCollection.Name)]
public sealed class DatagramProperties(ITestOutputHelper output)
{
    [Property]
    public void Datagram_reader_never_throws_and_hands_on_at_most_one_line() =>
        Fuzz.Check(output, 1000, g =>
        {
            var datagram = g.Show("datagram", g.Below(4) switch
            {
                0 => g.RandomBytes(g.Length()),
                1 => g.ProtocolishBytes(g.Length()),
                2 => JsonCommandProperties.AnyJson(g),
                _ => Mutations.Mutate(g, Commands.Line(Commands.Valid(g))),
            });

            var kind = Datagrams.Read(datagram, out var line);
            Datagrams.IsHello(line, out _);

            Assert.True(datagram.AsSpan().StartsWith(line), "the line is the datagram less its terminator");
            Assert.InRange(datagram.Length - line.Length, 0, 2);
            if (kind == DatagramKind.Blank)
                Assert.True(line.IndexOfAnyExcept(" \t"u8) < 0, "blank is spaces and tabs at most");
            if (kind != DatagramKind.SeveralLines)
                Assert.True(line.IndexOf((byte)'\n') < 0, "one line");
        });

    [Property]
    public void A_valid_command_in_a_datagram_reads_as_its_line() =>
        Fuzz.Check(output, 1000, g =>
        {
            var command = Commands.Valid(g);
            var line = Commands.Line(command);
            var datagram = g.Show("datagram", [.. line, .. g.Pick(["\n"u8.ToArray(), "\r\n"u8.ToArray(), []])]);

            var kind = Datagrams.Read(datagram, out var read);

            Assert.Equal(Convert.ToHexString(line), Convert.ToHexString(read));
            Assert.Equal(Datagrams.LooksLikeRelayedMessage(line) ? DatagramKind.ServerLine : DatagramKind.Line, kind);
            Assert.Equal(command.Kind == CommandKind.Hello, Datagrams.IsHello(read, out var json) && !json);
        });

    [Property]
    public void Reply_datagrams_hold_whole_lines_within_their_size_unless_one_line_alone_is_longer() =>
        Fuzz.Check(output, 1000, g =>
        {
            var replies = new List<byte>();
            for (var lines = g.Between(1, 1 + g.Size / 5); lines > 0; lines--)
                replies.AddRange([.. ServerOutput.Line(g, out _), (byte)'\n']);
            var bytes = g.Show("replies", replies.ToArray());
            var max = g.Between(1, 1500);
            g.Show("reply-datagram-bytes", max.ToString(System.Globalization.CultureInfo.InvariantCulture));

            for (var offset = 0; offset < bytes.Length;)
            {
                var rest = bytes.AsSpan(offset);
                var length = Datagrams.NextDatagramLength(rest, max);

                Assert.InRange(length, 1, rest.Length);
                Assert.Equal((byte)'\n', rest[length - 1]);
                var lines = rest[..length].Count((byte)'\n');
                Assert.True(length <= max || lines == 1, "within the size, or one line alone");
                var next = rest[length..].IndexOf((byte)'\n');
                Assert.True(next < 0 || length + next + 1 > max, "as many lines as fit");
                offset += length;
            }
        });

    [Property]
    public void An_id_page_cut_to_the_reply_budget_of_its_request_fits_it_and_one_id_more_would_not() =>
        Fuzz.Check(output, 500, g =>
        {
            var (json, reference) = Dialect(g);
            var room = g.Bool() ? [] : Commands.Name(g);
            var total = g.OneIn(4) ? 0 : Commands.Id(g);
            var ids = new SortedSet<long>(Enumerable.Range(0, g.Below(4 * g.Size + 1)).Select(_ => Commands.Id(g))).ToArray();
            var request = room.Length == 0 ? Commands.Line(new Command(CommandKind.Who, 0, [], [])) : Commands.Line(new Command(CommandKind.Members, 0, room, []));
            var budget = Budget(g, json, request, reference);
            g.Show("page", $"{Encoding.ASCII.GetString(request)} of {total}: {string.Join(',', ids)}");

            var fit = PageFit.Ids(budget, json, room.Length, total, ids, reference.Length);

            // Not even one id fits: the session answers ERROR:TOO_LONG instead (cut to the budget as errors are).
            if (fit == 0 && ids.Length > 0)
                return;
            Assert.InRange(Bytes(json, reference, o => ServerLines.IdPage(o, room, total, ids.AsSpan(0, fit), more: true)), 0, budget);
            Assert.InRange(Bytes(json, reference, o => ServerLines.IdPage(o, room, total, ids.AsSpan(0, fit), more: false)), 0, budget);
            // One more would be over in the longer form, the one counted (text with :MORE, JSON with "more":false).
            if (fit < ids.Length)
                Assert.True(Bytes(json, reference, o => ServerLines.IdPage(o, room, total, ids.AsSpan(0, fit + 1), more: !json)) > budget);
        });

    [Property]
    public void A_room_page_cut_to_the_reply_budget_of_its_request_fits_it_and_one_room_more_would_not() =>
        Fuzz.Check(output, 500, g =>
        {
            var (json, reference) = Dialect(g);
            var rooms = Enumerable.Range(0, g.Below(g.Size + 1)).Select(_ => Encoding.ASCII.GetString(Commands.Name(g))).Distinct()
                .Order(StringComparer.Ordinal).Select(room => (room, (long)g.Between(0, int.MaxValue))).ToList();
            var after = g.Bool() ? [] : Commands.Name(g);
            var request = Commands.Line(new Command(CommandKind.Rooms, 0, after, []));
            var budget = Budget(g, json, request, reference);
            g.Show("page", string.Join(',', rooms.Select(r => $"{r.room}={r.Item2}")));

            var fit = PageFit.Rooms(budget, json, rooms, reference.Length);

            if (fit == 0 && rooms.Count > 0)
                return;
            Assert.InRange(Bytes(json, reference, o => ServerLines.RoomPage(o, rooms.Take(fit).ToList(), more: true)), 0, budget);
            Assert.InRange(Bytes(json, reference, o => ServerLines.RoomPage(o, rooms.Take(fit).ToList(), more: false)), 0, budget);
            if (fit < rooms.Count)
                Assert.True(Bytes(json, reference, o => ServerLines.RoomPage(o, rooms.Take(fit + 1).ToList(), more: !json)) > budget);
        });

    private static (bool Json, byte[] Reference) Dialect(Gen g)
    {
        var json = g.Bool();
        return (json, json && g.Bool() ? Commands.Name(g) : []);
    }

    /// <summary>What the request may be answered with: as sent (its JSON object with the ref, if JSON), or padded up to a full datagram.</summary>
    private static int Budget(Gen g, bool json, byte[] request, byte[] reference)
    {
        var written = new ArrayBufferWriter<byte>();
        if (json)
            JsonCommands.FromText(request, written, reference);
        var size = json ? written.WrittenCount - 1 : request.Length;
        size += g.OneIn(3) ? 0 : g.Below(8192 - size);
        g.Show("request", $"{(json ? Encoding.UTF8.GetString(written.WrittenSpan[..^1]) : Encoding.ASCII.GetString(request))} in a datagram of {size} bytes, reply budget {Datagrams.ReplyBudget(size)}");
        return Datagrams.ReplyBudget(size);
    }

    /// <summary>The size of a page as a UDP client is sent it: the text line, or its JSON object with the request's ref.</summary>
    private static int Bytes(bool json, byte[] reference, Action<ArrayBufferWriter<byte>> write)
    {
        var text = new ArrayBufferWriter<byte>();
        write(text);
        if (!json)
            return text.WrittenCount;
        var page = new ArrayBufferWriter<byte>();
        JsonServerLines.ToJson(text.WrittenSpan[..^1], reference, page);
        return page.WrittenCount;
    }
}
