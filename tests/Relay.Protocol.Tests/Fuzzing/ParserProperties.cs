using System.Buffers;
using System.Text.Unicode;
using Xunit.Abstractions;

namespace Relay.Protocol.Tests.Fuzzing;

/// <summary>The command parser over any line, and valid commands through the writer, the framer and the parser.</summary>
[Collection(PropertiesCollection.Name)]
public sealed class ParserProperties(ITestOutputHelper output)
{
    private static readonly ErrorCode[] ParserCodes = [ErrorCode.UnknownCommand, ErrorCode.BadFormat, ErrorCode.BadEncoding, ErrorCode.BadName];

    [Property]
    public void Parser_never_throws_and_refuses_a_line_with_an_error_the_session_can_write() =>
        Fuzz.Check(output, 1000, g =>
        {
            var line = g.Show("line", AnyLine(g));

            var command = Command.Parse(line);

            switch (command.Kind)
            {
                case CommandKind.Invalid:
                    Assert.Contains(command.Error, ParserCodes);
                    AssertOneLine(WriteRefusal(command));
                    break;
                case CommandKind.Empty:
                    Assert.Empty(line);
                    break;
                default:
                    Assert.True(Enum.IsDefined(command.Kind));
                    Assert.True(command.Name.Length == 0 || Names.IsValid(command.Name), "a name is empty or valid");
                    Assert.True(Utf8.IsValid(command.Payload), "the payload is valid UTF-8");
                    if (command.Kind is CommandKind.To or CommandKind.ToAck)
                        Assert.InRange(command.Number, 1, 999_999_999_999_999_999);
                    else
                        Assert.InRange(command.Number, 0, 999_999_999_999_999_999);
                    break;
            }
        });

    [Property]
    public void Parser_reads_every_valid_command_as_the_client_library_wrote_it_and_in_every_accepted_spelling() =>
        Fuzz.Check(output, 1000, g =>
        {
            var expected = Commands.Valid(g);
            var line = g.Show("line", Commands.Line(expected));
            var variant = g.Show("variant", Commands.Variant(g, expected));

            Assert.Equal(expected.ToString(), Command.Parse(line).ToString());
            Assert.Equal(expected.ToString(), Command.Parse(variant).ToString());
        });

    [Property]
    public void Parser_reads_a_command_it_accepted_the_same_once_the_client_library_writes_it_again() =>
        Fuzz.Check(output, 1000, g =>
        {
            // The framer never hands on a line feed: the line is what comes before one.
            var damaged = AnyLine(g);
            var end = Array.IndexOf(damaged, (byte)'\n');
            var line = g.Show("line", end < 0 ? damaged : damaged[..end]);

            var command = Command.Parse(line);
            if (command.Kind is CommandKind.Invalid or CommandKind.Empty)
                return;

            Assert.Equal(command.ToString(), Command.Parse(g.Show("written again", Commands.Line(command))).ToString());
        });

    [Property]
    public void A_stream_of_valid_commands_reaches_the_parser_as_written_whatever_the_chunking() =>
        Fuzz.Check(output, 300, g =>
        {
            var commands = Enumerable.Range(0, g.Between(0, 1 + g.Size / 4)).Select(_ => Commands.Valid(g)).ToList();
            var stream = g.Show("stream", commands.SelectMany(c => Commands.Line(c).Append((byte)'\n')).ToArray());
            var cuts = Mutations.Cuts(g, stream.Length);
            g.Show("chunks", Mutations.Describe(cuts));

            var parsed = new ParsingSink();
            using var framer = new LineFramer(64 * 1024);
            foreach (var chunk in Mutations.Chunks(stream, cuts))
                framer.Feed(chunk, parsed);

            Assert.False(framer.HasPartialLine);
            Assert.Equal(commands.Select(c => c.ToString()), parsed.Commands.Select(c => c.ToString()));
        });

    /// <summary>Lines of every sort: noise, protocol-looking noise, valid commands and their spellings, damaged.</summary>
    public static byte[] AnyLine(Gen g) => g.Below(6) switch
    {
        0 => g.RandomBytes(g.Length()),
        1 => g.ProtocolishBytes(g.Length()),
        2 => Commands.Variant(g, Commands.Valid(g)),
        _ => Mutations.Mutate(g, g.OneIn(3) ? Commands.Variant(g, Commands.Valid(g)) : Commands.Line(Commands.Valid(g))),
    };

    /// <summary>The reply to a refused line, written as the session writes it.</summary>
    private static byte[] WriteRefusal(Command refused)
    {
        var reply = new ArrayBufferWriter<byte>();
        if (refused.Refused == CommandKind.ToAck && refused.Name.Length > 0)
            ServerLines.NotDelivered(reply, refused.Name, refused.Error == ErrorCode.BadEncoding ? ReceiptFailure.BadEncoding : ReceiptFailure.BadFormat, 0);
        else
            ServerLines.Invalid(reply, refused.Error, refused.Refused);
        return reply.WrittenSpan.ToArray();
    }

    /// <summary>One line: valid UTF-8 ending in its only line feed.</summary>
    public static void AssertOneLine(ReadOnlySpan<byte> reply)
    {
        Assert.True(reply.IndexOf((byte)'\n') == reply.Length - 1, "one line, ending in LF");
        Assert.True(Utf8.IsValid(reply), "valid UTF-8");
    }

    private sealed class ParsingSink : ILineSink
    {
        public List<Command> Commands { get; } = new();

        public void OnLine(ReadOnlySpan<byte> line) => Commands.Add(Command.Parse(line));

        public void OnLineTooLong() => throw new InvalidOperationException("no valid command is too long");
    }
}
