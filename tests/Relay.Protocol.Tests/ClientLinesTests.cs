using System.Buffers;
using System.Text;

namespace Relay.Protocol.Tests;

/// <summary>What a client library writes is what the server's parser reads.</summary>
public sealed class ClientLinesTests
{
    public static TheoryData<string, CommandKind, long, string, string> EveryCommand => new()
    {
        { "to", CommandKind.To, 5, "", "hi:there" },
        { "toack", CommandKind.ToAck, 5, "r-1", "안녕" },
        { "all", CommandKind.All, 0, "", "everyone" },
        { "join", CommandKind.Join, 0, "lobby", "" },
        { "leave", CommandKind.Leave, 0, "lobby", "" },
        { "room", CommandKind.Room, 0, "lobby", "in the room" },
        { "rooms", CommandKind.Rooms, 0, "", "" },
        { "rooms-after", CommandKind.Rooms, 0, "dev", "" },
        { "members", CommandKind.Members, 0, "lobby", "" },
        { "members-after", CommandKind.Members, 42, "lobby", "" },
        { "who", CommandKind.Who, 0, "", "" },
        { "who-after", CommandKind.Who, 512, "", "" },
        { "watch-on", CommandKind.Watch, 1, "", "" },
        { "watch-off", CommandKind.Watch, 0, "", "" },
        { "ping", CommandKind.Ping, 0, "", "" },
        { "quit", CommandKind.Quit, 0, "", "" },
    };

    [Theory]
    [MemberData(nameof(EveryCommand))]
    public void Writes_each_command_as_the_server_parses_it(string form, CommandKind kind, long number, string name, string payload)
    {
        var output = new ArrayBufferWriter<byte>();
        var nameBytes = Encoding.ASCII.GetBytes(name);
        var payloadBytes = Encoding.UTF8.GetBytes(payload);
        switch (form)
        {
            case "to": ClientLines.To(output, number, payloadBytes); break;
            case "toack": ClientLines.ToAck(output, nameBytes, number, payloadBytes); break;
            case "all": ClientLines.All(output, payloadBytes); break;
            case "join": ClientLines.Join(output, nameBytes); break;
            case "leave": ClientLines.Leave(output, nameBytes); break;
            case "room": ClientLines.Room(output, nameBytes, payloadBytes); break;
            case "rooms" or "rooms-after": ClientLines.Rooms(output, nameBytes); break;
            case "members" or "members-after": ClientLines.Members(output, nameBytes, number); break;
            case "who" or "who-after": ClientLines.Who(output, number); break;
            case "watch-on" or "watch-off": ClientLines.Watch(output, number == 1); break;
            case "ping": ClientLines.Ping(output); break;
            case "quit": ClientLines.Quit(output); break;
        }

        var line = output.WrittenSpan;
        Assert.Equal((byte)'\n', line[^1]);
        var command = CommandParser.Parse(line[..^1]);
        Assert.Equal(
            (kind, number, name, payload),
            (command.Kind, command.Number, Encoding.ASCII.GetString(command.Name), Encoding.UTF8.GetString(command.Payload)));
    }

    [Fact]
    public void Refuses_to_write_a_bad_room_name_or_a_message_with_a_line_feed()
    {
        var output = new ArrayBufferWriter<byte>();

        Assert.Throws<ArgumentException>(() => ClientLines.Join(output, "two words"u8));
        Assert.Throws<ArgumentException>(() => ClientLines.ToAck(output, "bad:ref"u8, 1, "x"u8));
        Assert.Throws<ArgumentException>(() => ClientLines.All(output, "two\nlines"u8));
        Assert.Equal(0, output.WrittenCount);
    }
}
