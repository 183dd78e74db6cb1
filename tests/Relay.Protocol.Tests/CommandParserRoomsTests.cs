using System.Text;

namespace Relay.Protocol.Tests;

/// <summary>The commands beyond TO/PING/QUIT: receipts, broadcast, rooms, lists, presence.</summary>
public sealed class CommandParserRoomsTests
{
    private static (CommandKind Kind, long Number, string Name, string Payload, ErrorCode Error, CommandKind Refused) Parse(string line)
    {
        var command = CommandParser.Parse(Encoding.UTF8.GetBytes(line));
        return (command.Kind, command.Number, Encoding.ASCII.GetString(command.Name), Encoding.UTF8.GetString(command.Payload), command.Error, command.Refused);
    }

    [Theory]
    [InlineData("TOACK:a1:2:hello", "a1", 2, "hello")]
    [InlineData("toack:A-b.c_9:7:x:y:", "A-b.c_9", 7, "x:y:")]
    [InlineData("TOACK:r:3:", "r", 3, "")]
    [InlineData("TOACK:r: 4 :안녕", "r", 4, "안녕")]
    public void Parses_a_message_with_a_receipt(string line, string reference, long target, string message)
    {
        var command = Parse(line);

        Assert.Equal((CommandKind.ToAck, target, reference, message), (command.Kind, command.Number, command.Name, command.Payload));
    }

    [Theory]
    [InlineData("TOACK:r1:abc:hi", ErrorCode.BadFormat, "r1")]
    [InlineData("TOACK:r1:0:hi", ErrorCode.BadFormat, "r1")]
    [InlineData("TOACK:r1:5", ErrorCode.BadFormat, "r1")]
    [InlineData("TOACK:r1", ErrorCode.BadFormat, "r1")]
    [InlineData("TOACK:r1:", ErrorCode.BadFormat, "r1")]
    [InlineData("TOACK:", ErrorCode.BadName, "")]
    [InlineData("TOACK::5:hi", ErrorCode.BadName, "")]
    [InlineData("TOACK:bad ref:5:hi", ErrorCode.BadName, "")]
    [InlineData("TOACK:r=1:5:hi", ErrorCode.BadName, "")]
    public void Refuses_a_malformed_receipt_request_keeping_its_reference_when_readable(string line, ErrorCode error, string reference)
    {
        var command = Parse(line);

        Assert.Equal((CommandKind.Invalid, error, CommandKind.ToAck, reference), (command.Kind, command.Error, command.Refused, command.Name));
    }

    [Fact]
    public void Refuses_a_receipt_request_whose_message_is_not_utf8_keeping_its_reference()
    {
        var command = CommandParser.Parse([.. "TOACK:r9:2:"u8, 0xFF]);

        Assert.Equal(CommandKind.Invalid, command.Kind);
        Assert.Equal(ErrorCode.BadEncoding, command.Error);
        Assert.Equal("r9", Encoding.ASCII.GetString(command.Name));
    }

    [Theory]
    [InlineData("ALL:hello everyone", "hello everyone")]
    [InlineData("all:", "")]
    [InlineData("ALL:a:b:c", "a:b:c")]
    public void Parses_a_broadcast(string line, string message)
    {
        var command = Parse(line);

        Assert.Equal((CommandKind.All, message), (command.Kind, command.Payload));
    }

    [Fact]
    public void Refuses_a_broadcast_that_is_not_utf8() =>
        Assert.Equal(ErrorCode.BadEncoding, CommandParser.Parse([.. "ALL:"u8, 0xC3]).Error);

    [Theory]
    [InlineData("JOIN:lobby", CommandKind.Join, "lobby")]
    [InlineData("join:Dev.Team-1_x", CommandKind.Join, "Dev.Team-1_x")]
    [InlineData("LEAVE:lobby", CommandKind.Leave, "lobby")]
    [InlineData("MEMBERS:lobby", CommandKind.Members, "lobby")]
    public void Parses_room_commands(string line, CommandKind kind, string room)
    {
        var command = Parse(line);

        Assert.Equal((kind, room), (command.Kind, command.Name));
    }

    [Theory]
    [InlineData("JOIN:", CommandKind.Join)]
    [InlineData("JOIN:two words", CommandKind.Join)]
    [InlineData("JOIN:a:b", CommandKind.Join)]
    [InlineData("JOIN:방", CommandKind.Join)]
    [InlineData("LEAVE:", CommandKind.Leave)]
    [InlineData("LEAVE:a,b", CommandKind.Leave)]
    [InlineData("MEMBERS:", CommandKind.Members)]
    [InlineData("MEMBERS:a=b", CommandKind.Members)]
    [InlineData("ROOM::hi", CommandKind.Room)]
    [InlineData("ROOM:no spaces:hi", CommandKind.Room)]
    [InlineData("ROOMS:bad name", CommandKind.Rooms)]
    [InlineData("ROOMS:", CommandKind.Rooms)]
    public void Refuses_a_bad_room_name(string line, CommandKind refused)
    {
        var command = Parse(line);

        Assert.Equal((CommandKind.Invalid, ErrorCode.BadName, refused), (command.Kind, command.Error, command.Refused));
    }

    [Fact]
    public void Accepts_a_room_name_of_64_characters_and_refuses_65()
    {
        Assert.Equal(CommandKind.Join, Parse("JOIN:" + new string('r', 64)).Kind);
        Assert.Equal(ErrorCode.BadName, Parse("JOIN:" + new string('r', 65)).Error);
    }

    [Theory]
    [InlineData("ROOM:lobby:hi there", "lobby", "hi there")]
    [InlineData("room:lobby:", "lobby", "")]
    [InlineData("ROOM:lobby:a:b", "lobby", "a:b")]
    public void Parses_a_room_message(string line, string room, string message)
    {
        var command = Parse(line);

        Assert.Equal((CommandKind.Room, room, message), (command.Kind, command.Name, command.Payload));
    }

    [Fact]
    public void Refuses_a_room_message_without_a_message_part() =>
        Assert.Equal((CommandKind.Invalid, ErrorCode.BadFormat, CommandKind.Room), (Parse("ROOM:lobby").Kind, Parse("ROOM:lobby").Error, Parse("ROOM:lobby").Refused));

    [Theory]
    [InlineData("ROOMS", CommandKind.Rooms, 0, "")]
    [InlineData("rooms:lobby", CommandKind.Rooms, 0, "lobby")]
    [InlineData("WHO", CommandKind.Who, 0, "")]
    [InlineData("who:512", CommandKind.Who, 512, "")]
    [InlineData("WHO:0", CommandKind.Who, 0, "")]
    [InlineData("MEMBERS:lobby:7", CommandKind.Members, 7, "lobby")]
    public void Parses_list_requests_with_their_page_cursor(string line, CommandKind kind, long after, string name)
    {
        var command = Parse(line);

        Assert.Equal((kind, after, name), (command.Kind, command.Number, command.Name));
    }

    [Theory]
    [InlineData("WHO:x", CommandKind.Who)]
    [InlineData("WHO:-1", CommandKind.Who)]
    [InlineData("WHO:", CommandKind.Who)]
    [InlineData("MEMBERS:lobby:x", CommandKind.Members)]
    [InlineData("MEMBERS:lobby:", CommandKind.Members)]
    [InlineData("WATCH:", CommandKind.Watch)]
    [InlineData("WATCH:maybe", CommandKind.Watch)]
    [InlineData("WATCH:ON:now", CommandKind.Watch)]
    public void Refuses_a_malformed_list_or_watch_request(string line, CommandKind refused)
    {
        var command = Parse(line);

        Assert.Equal((CommandKind.Invalid, ErrorCode.BadFormat, refused), (command.Kind, command.Error, command.Refused));
    }

    [Theory]
    [InlineData("WATCH:ON", 1)]
    [InlineData("watch:on", 1)]
    [InlineData("WATCH:OFF", 0)]
    public void Parses_watch(string line, long on)
    {
        var command = Parse(line);

        Assert.Equal((CommandKind.Watch, on), (command.Kind, command.Number));
    }

    [Theory]
    [InlineData("TO", CommandKind.To)]
    [InlineData("toack", CommandKind.ToAck)]
    [InlineData("ALL", CommandKind.All)]
    [InlineData("JOIN", CommandKind.Join)]
    [InlineData("LEAVE", CommandKind.Leave)]
    [InlineData("ROOM", CommandKind.Room)]
    [InlineData("MEMBERS", CommandKind.Members)]
    [InlineData("WATCH", CommandKind.Watch)]
    public void Tells_a_command_word_without_its_arguments_what_the_command_expects(string line, CommandKind refused)
    {
        var command = Parse(line);

        Assert.Equal((CommandKind.Invalid, ErrorCode.BadFormat, refused), (command.Kind, command.Error, command.Refused));
    }

    [Theory]
    [InlineData("WHOM")]
    [InlineData("ROOMSX")]
    [InlineData("JOINED:1")]
    [InlineData("ALLX:hi")]
    [InlineData("WHO ")]
    public void Refuses_lookalikes_of_the_new_commands_as_unknown(string line) =>
        Assert.Equal(ErrorCode.UnknownCommand, Parse(line).Error);
}
