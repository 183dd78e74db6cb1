using System.Buffers;
using System.Text;
using Relay.Protocol.Json;

namespace Relay.Protocol.Tests;

public sealed class PageFitTests
{
    private static readonly long[] ManyIds = Enumerable.Range(1, 200).Select(i => (long)i * 37).ToArray();

    [Theory]
    [InlineData(40, false, "")]
    [InlineData(71, false, "")]
    [InlineData(300, false, "")]
    [InlineData(300, false, "lobby")]
    [InlineData(300, true, "")]
    [InlineData(300, true, "lobby")]
    [InlineData(120, true, "lobby")]
    public void An_id_page_of_the_fitting_count_is_within_the_budget_and_one_more_is_not(int budget, bool json, string room)
    {
        var fit = PageFit.Ids(budget, json, room.Length, 200, ManyIds, refBytes: json ? 2 : 0);

        Assert.InRange(IdPageBytes(json, room, fit), 0, budget);
        Assert.True(IdPageBytes(json, room, fit + 1) > budget);
    }

    [Theory]
    [InlineData(200, false)]
    [InlineData(71, false)]
    [InlineData(400, true)]
    [InlineData(401, true)]
    [InlineData(402, true)]
    [InlineData(403, true)]
    public void A_room_page_of_the_fitting_count_is_within_the_budget_and_one_more_is_not(int budget, bool json)
    {
        var rooms = Enumerable.Range(0, 30).Select(i => ($"room-{i}", (long)i * 3)).ToList();

        var fit = PageFit.Rooms(budget, json, rooms, refBytes: 0);

        Assert.InRange(RoomPageBytes(json, rooms.Take(fit).ToList()), 0, budget);
        Assert.True(RoomPageBytes(json, rooms.Take(fit + 1).ToList()) > budget);
    }

    [Fact]
    public void A_json_members_page_counts_the_closing_quote_of_its_room()
    {
        // Found by fuzzing (An_id_page_cut_to_the_reply_budget_…): {"op":"members","room":"pOY_","ref":"qGmDL6rvMWdr"}
        // in a 51-byte datagram (budget 209) was answered with 210 bytes. The smallest such page:
        var page = "{\"op\":\"members\",\"room\":\"l\",\"total\":1,\"ids\":[7],\"more\":false}\n"u8;
        var text = new ArrayBufferWriter<byte>();
        ServerLines.IdPage(text, "l"u8, 1, [7], more: false);
        Assert.Equal(Encoding.UTF8.GetString(page), Encoding.UTF8.GetString(JsonPage(text)));

        Assert.Equal(0, PageFit.Ids(page.Length - 1, json: true, roomBytes: 1, total: 1, [7], refBytes: 0));
        Assert.Equal(1, PageFit.Ids(page.Length, json: true, roomBytes: 1, total: 1, [7], refBytes: 0));
    }

    [Fact]
    public void No_room_fits_when_its_name_alone_is_over_the_budget()
    {
        Assert.Equal(0, PageFit.Rooms(71, false, [(new string('r', 64), 1)], 0));
    }

    private static int IdPageBytes(bool json, string room, int count)
    {
        var text = new ArrayBufferWriter<byte>();
        // The most-ids case: :MORE is written when the page is cut.
        ServerLines.IdPage(text, Encoding.ASCII.GetBytes(room), 200, ManyIds.AsSpan(0, count), more: true);
        return json ? JsonBytes(text, "ab") : text.WrittenCount;
    }

    private static int RoomPageBytes(bool json, List<(string, long)> rooms)
    {
        var text = new ArrayBufferWriter<byte>();
        ServerLines.RoomPage(text, rooms, more: true);
        return json ? JsonBytes(text, "") : text.WrittenCount;
    }

    private static int JsonBytes(ArrayBufferWriter<byte> text, string reference) => JsonPage(text, reference).Length;

    private static byte[] JsonPage(ArrayBufferWriter<byte> text, string reference = "")
    {
        var json = new ArrayBufferWriter<byte>();
        JsonServerLines.ToJson(text.WrittenSpan[..^1], Encoding.ASCII.GetBytes(reference), json);
        return json.WrittenSpan.ToArray();
    }
}
