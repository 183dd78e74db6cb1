using System.Buffers;
using System.Text;

namespace Relay.Protocol.Tests;

public sealed class ServerLinesTests
{
    private readonly ArrayBufferWriter<byte> _output = new();

    private string Written => Encoding.UTF8.GetString(_output.WrittenSpan);

    [Fact]
    public void Writes_the_welcome_line() 
    {
        ServerLines.YourId(_output, 42);
        Assert.Equal("YOUR_ID:42\n", Written);
    }

    [Fact]
    public void Writes_a_relayed_message_byte_for_byte()
    {
        ServerLines.From(_output, 1, Encoding.UTF8.GetBytes("안녕 B야: a:b"));
        Assert.Equal("FROM:1:안녕 B야: a:b\n", Written);
    }

    [Fact]
    public void Writes_an_empty_relayed_message()
    {
        ServerLines.From(_output, 1, default);
        Assert.Equal("FROM:1:\n", Written);
    }

    [Fact]
    public void Writes_errors_with_their_stable_codes()
    {
        ServerLines.UnknownTarget(_output, 7);
        ServerLines.TooLong(_output, 65536);
        ServerLines.Invalid(_output, ErrorCode.BadFormat, CommandKind.To);
        ServerLines.Invalid(_output, ErrorCode.UnknownCommand, CommandKind.Invalid);
        ServerLines.Invalid(_output, ErrorCode.BadEncoding, CommandKind.To);
        ServerLines.IdleTimeout(_output, TimeSpan.FromMinutes(10));

        Assert.Equal(
            "ERROR:UNKNOWN_TARGET:no client 7\n" +
            "ERROR:TOO_LONG:line longer than 65536 bytes discarded\n" +
            "ERROR:BAD_FORMAT:expected TO:<id>:<message> with a positive numeric id\n" +
            "ERROR:UNKNOWN_COMMAND:expected TO, TOACK, ALL, JOIN, LEAVE, ROOM, ROOMS, MEMBERS, WHO, WATCH, PING or QUIT (see docs/protocol.md)\n" +
            "ERROR:BAD_ENCODING:message is not valid UTF-8\n" +
            "ERROR:IDLE_TIMEOUT:no command within 600 s of connecting; closing the connection\n",
            Written);
    }

    [Fact]
    public void Writes_pong()
    {
        ServerLines.Pong(_output);
        Assert.Equal("PONG\n", Written);
    }

    [Fact]
    public void Writes_client_lines()
    {
        ClientLines.To(_output, 2, "hi:there"u8);
        ClientLines.Ping(_output);
        ClientLines.Quit(_output);

        Assert.Equal("TO:2:hi:there\nPING\nQUIT\n", Written);
    }

    [Fact]
    public void Refuses_a_client_message_with_a_line_feed() =>
        Assert.Throws<ArgumentException>(() => ClientLines.To(_output, 2, "a\nTO:3:b"u8));

    [Fact]
    public void Every_error_code_round_trips_through_its_wire_name()
    {
        foreach (var code in Enum.GetValues<ErrorCode>())
        {
            Assert.True(Wire.TryParseCode(Wire.CodeOf(code), out var parsed));
            Assert.Equal(code, parsed);
        }

        Assert.False(Wire.TryParseCode("NOT_A_CODE"u8, out _));
    }
}
