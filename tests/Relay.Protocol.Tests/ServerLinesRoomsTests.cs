using System.Buffers;
using System.Text;

namespace Relay.Protocol.Tests;

/// <summary>The server lines of broadcast, rooms, presence and receipts: written, then parsed back as a client would.</summary>
public sealed class ServerLinesRoomsTests
{
    private readonly ArrayBufferWriter<byte> _output = new();

    private string Written => Encoding.UTF8.GetString(_output.WrittenSpan);

    [Fact]
    public void Writes_a_broadcast_and_a_room_message_byte_for_byte()
    {
        ServerLines.Broadcast(_output, 3, Encoding.UTF8.GetBytes("안녕: all"));
        ServerLines.RoomMessage(_output, "lobby"u8, 4, "a:b"u8);

        Assert.Equal("ALL:3:안녕: all\nROOM:lobby:4:a:b\n", Written);
    }

    [Fact]
    public void Writes_confirmations_presence_and_receipts()
    {
        ServerLines.Ok(_output, Wire.Join, "lobby"u8);
        ServerLines.Ok(_output, Wire.Watch, Wire.On);
        ServerLines.Presence(_output, joined: true, 7);
        ServerLines.Presence(_output, joined: false, 8);
        ServerLines.Delivered(_output, "a1"u8);

        Assert.Equal("OK:JOIN:lobby\nOK:WATCH:ON\nJOINED:7\nLEFT:8\nDELIVERED:a1\n", Written);
    }

    [Fact]
    public void Writes_every_receipt_failure_with_its_reference_first_and_its_cause_code()
    {
        foreach (var cause in Enum.GetValues<ReceiptFailure>())
            ServerLines.NotDelivered(_output, "r1"u8, cause, 7);

        Assert.Equal(
            "ERROR:NOT_DELIVERED:r1:UNKNOWN_TARGET:no client 7\n" +
            "ERROR:NOT_DELIVERED:r1:DISCONNECTED:client 7 left before it could take the message\n" +
            "ERROR:NOT_DELIVERED:r1:TIMEOUT:no receipt from the node of client 7 in time; the message may or may not have arrived\n" +
            "ERROR:NOT_DELIVERED:r1:BAD_FORMAT:expected TOACK:<ref>:<id>:<message> with a positive numeric id\n" +
            "ERROR:NOT_DELIVERED:r1:BAD_ENCODING:message is not valid UTF-8\n",
            Written);
    }

    [Fact]
    public void Writes_room_errors()
    {
        ServerLines.NotMember(_output, "dev"u8);
        ServerLines.TooManyRooms(_output, 16);
        ServerLines.Invalid(_output, ErrorCode.BadName, CommandKind.Join);

        Assert.Equal(
            "ERROR:NOT_MEMBER:not in room dev; JOIN:dev first\n" +
            "ERROR:TOO_MANY_ROOMS:already in 16 rooms, the most one client may join\n" +
            "ERROR:BAD_NAME:room names and refs are 1-64 characters of A-Z a-z 0-9 _ . -\n",
            Written);
    }

    [Theory]
    [InlineData(CommandKind.To, "expected TO:<id>:<message> with a positive numeric id")]
    [InlineData(CommandKind.ToAck, "expected TOACK:<ref>:<id>:<message> with a positive numeric id")]
    [InlineData(CommandKind.Room, "expected ROOM:<room>:<message>")]
    [InlineData(CommandKind.Members, "expected MEMBERS:<room> or MEMBERS:<room>:<last id of the previous page>")]
    [InlineData(CommandKind.Who, "expected WHO or WHO:<last id of the previous page>")]
    [InlineData(CommandKind.Watch, "expected WATCH:ON or WATCH:OFF")]
    [InlineData(CommandKind.All, "expected ALL:<message>")]
    [InlineData(CommandKind.Join, "expected JOIN:<room>")]
    [InlineData(CommandKind.Leave, "expected LEAVE:<room>")]
    public void Tells_a_malformed_command_what_it_expects(CommandKind command, string usage)
    {
        ServerLines.Invalid(_output, ErrorCode.BadFormat, command);

        Assert.Equal($"ERROR:BAD_FORMAT:{usage}\n", Written);
    }

    [Fact]
    public void Writes_id_pages_with_and_without_a_next_page()
    {
        ServerLines.IdPage(_output, default, 1203, [1, 2, 3], more: true);
        ServerLines.IdPage(_output, "lobby"u8, 2, [7, 101], more: false);
        ServerLines.IdPage(_output, "empty"u8, 0, [], more: false);

        Assert.Equal("WHO:1203:1,2,3:MORE\nMEMBERS:lobby:2:7,101\nMEMBERS:empty:0:\n", Written);
    }

    [Fact]
    public void Writes_a_room_page()
    {
        ServerLines.RoomPage(_output, [("dev", 3), ("lobby", 2)], more: true);
        ServerLines.RoomPage(_output, [], more: false);

        Assert.Equal("ROOMS:dev=3,lobby=2:MORE\nROOMS:\n", Written);
    }

    [Fact]
    public void Parses_back_every_new_server_line()
    {
        Assert.Equal((ServerLineKind.Broadcast, 3L, "", "hi:x"), Parsed("ALL:3:hi:x"));
        Assert.Equal((ServerLineKind.Room, 4L, "lobby", "a:b"), Parsed("ROOM:lobby:4:a:b"));
        Assert.Equal((ServerLineKind.Ok, 0L, "JOIN", "lobby"), Parsed("OK:JOIN:lobby"));
        Assert.Equal((ServerLineKind.Joined, 7L, "", ""), Parsed("JOINED:7"));
        Assert.Equal((ServerLineKind.Left, 8L, "", ""), Parsed("LEFT:8"));
        Assert.Equal((ServerLineKind.Delivered, 0L, "a1", ""), Parsed("DELIVERED:a1"));
        Assert.Equal((ServerLineKind.Who, 1203L, "", "1,2,3"), Parsed("WHO:1203:1,2,3:MORE"));
        Assert.Equal((ServerLineKind.Who, 0L, "", ""), Parsed("WHO:0:"));
        Assert.Equal((ServerLineKind.Members, 2L, "lobby", "7,101"), Parsed("MEMBERS:lobby:2:7,101"));
        Assert.Equal((ServerLineKind.Rooms, 0L, "", "dev=3,lobby=2"), Parsed("ROOMS:dev=3,lobby=2"));
        Assert.Equal((ServerLineKind.Error, 0L, "NOT_DELIVERED", "r1:TIMEOUT:no receipt"), Parsed("ERROR:NOT_DELIVERED:r1:TIMEOUT:no receipt"));
    }

    [Theory]
    [InlineData("WHO:1:1:MORE", true)]
    [InlineData("WHO:1:1", false)]
    [InlineData("ROOMS:a=1:MORE", true)]
    [InlineData("MEMBERS:a:1:1:MORE", true)]
    public void Tells_whether_a_list_has_a_next_page(string line, bool more) =>
        Assert.Equal(more, ServerLine.Parse(Encoding.ASCII.GetBytes(line)).More);

    [Theory]
    [InlineData("ALL:x:hi")]
    [InlineData("ROOM:lobby:x:hi")]
    [InlineData("JOINED:x")]
    [InlineData("WHO:x:1")]
    public void Classifies_malformed_new_lines_as_unknown(string line) =>
        Assert.Equal(ServerLineKind.Unknown, ServerLine.Parse(Encoding.ASCII.GetBytes(line)).Kind);

    private static (ServerLineKind, long, string, string) Parsed(string text)
    {
        var line = ServerLine.Parse(Encoding.UTF8.GetBytes(text));
        return (line.Kind, line.Id, Encoding.UTF8.GetString(line.Name), Encoding.UTF8.GetString(line.Text));
    }
}
