using System.Buffers;
using System.Text.Unicode;
using Relay.Protocol.Json;
using Xunit.Abstractions;

namespace Relay.Protocol.Tests.Fuzzing;

/// <summary>The JSON form of client commands (<see cref="JsonCommands"/>) over any line and over every valid object.</summary>
[Collection(PropertiesCollection.Name)]
public sealed class JsonCommandProperties(ITestOutputHelper output)
{
    [Property]
    public void Json_codec_never_throws_and_refuses_an_object_with_one_error_line_of_a_documented_code() =>
        Fuzz.Check(output, 1000, g =>
        {
            var json = g.Show("json", AnyJson(g));
            var text = new ArrayBufferWriter<byte>();

            var translated = JsonCommands.ToText(json, text, out var reference);

            var line = text.WrittenSpan;
            Assert.True(reference.IsEmpty || Names.IsValid(reference), "the ref is empty or a name");
            Assert.True(line.IndexOfAny((byte)'\n', (byte)'\r') < 0, "no line break in the line");
            Assert.True(Utf8.IsValid(line), "valid UTF-8");
            if (translated)
            {
                Assert.NotEqual(CommandKind.Invalid, CommandParser.Parse(line).Kind);
                Assert.NotEqual(CommandKind.Empty, CommandParser.Parse(line).Kind);
                return;
            }

            AssertDocumentedError(line, reference);
        });

    [Property]
    public void Json_codec_translates_every_valid_object_to_the_command_it_stands_for() =>
        Fuzz.Check(output, 1000, g =>
        {
            var command = Commands.Valid(g, lineBreakFree: true);
            var reference = command.Kind == CommandKind.ToAck || g.Bool() ? [] : Commands.Name(g);
            var json = g.Show("json", Commands.Json(g, command, reference));
            var text = new ArrayBufferWriter<byte>();

            Assert.True(JsonCommands.ToText(json, text, out var read), Error(text));

            Assert.Equal(WithReference(command, reference).ToString(), Command.Parse(text.WrittenSpan).ToString());
            Assert.Equal(Convert.ToHexString(command.Kind == CommandKind.ToAck ? command.Name : reference), Convert.ToHexString(read));
        });

    [Property]
    public void Json_codec_round_trips_every_valid_command_line_through_its_object() =>
        Fuzz.Check(output, 1000, g =>
        {
            var command = Commands.Valid(g, lineBreakFree: true);
            var reference = g.Bool() ? [] : Commands.Name(g);
            var line = g.Show("line", g.Bool() ? Commands.Line(command) : Commands.Variant(g, command));
            var json = new ArrayBufferWriter<byte>();
            var text = new ArrayBufferWriter<byte>();

            Assert.True(JsonCommands.FromText(line, json, reference));
            g.Show("json", json.WrittenSpan.ToArray());
            Assert.Equal(json.WrittenCount - 1, json.WrittenSpan.IndexOf((byte)'\n'));
            Assert.True(JsonCommands.ToText(json.WrittenSpan[..^1], text, out var read), Error(text));

            Assert.Equal(WithReference(command, reference).ToString(), Command.Parse(text.WrittenSpan).ToString());
            // A TOACK's own reference wins over the one given.
            Assert.Equal(Convert.ToHexString(command.Kind == CommandKind.ToAck ? command.Name : reference), Convert.ToHexString(read));
        });

    [Property]
    public void Json_codec_writes_an_object_for_every_line_the_parser_accepts_and_none_for_the_others() =>
        Fuzz.Check(output, 1000, g =>
        {
            var line = g.Show("line", ParserProperties.AnyLine(g));
            var json = new ArrayBufferWriter<byte>();

            var written = JsonCommands.FromText(line, json, g.Bool() ? [] : Commands.Name(g));

            var kind = CommandParser.Parse(line).Kind;
            Assert.Equal(kind is not (CommandKind.Invalid or CommandKind.Empty), written);
            if (written)
                Assert.Equal(json.WrittenCount - 1, json.WrittenSpan.IndexOf((byte)'\n'));
            else
                Assert.Equal(0, json.WrittenCount);
        });

    /// <summary>A <c>to</c> with a <c>ref</c> asks for a receipt: it is the <c>TOACK</c> of that ref.</summary>
    private static Command WithReference(Command command, byte[] reference) =>
        command.Kind == CommandKind.To && reference.Length > 0 ? command with { Kind = CommandKind.ToAck, Name = reference } : command;

    /// <summary>Valid objects, damaged ones, JSON-like noise and plain noise.</summary>
    public static byte[] AnyJson(Gen g) => g.Below(6) switch
    {
        0 => JsonNoise.ClientObject(g),
        1 => g.ProtocolishBytes(g.Length()),
        2 => Commands.Json(g, Commands.Valid(g, lineBreakFree: true), g.Bool() ? [] : Commands.Name(g)),
        _ => Mutations.Mutate(g, g.Bool() ? JsonNoise.ClientObject(g) : Commands.Json(g, Commands.Valid(g, lineBreakFree: true), g.Bool() ? [] : Commands.Name(g))),
    };

    /// <summary>
    /// <c>ERROR:&lt;CODE&gt;:&lt;text&gt;</c> with a code of <see cref="ErrorCode"/>, or for a <c>to</c> that
    /// asked for a receipt <c>ERROR:NOT_DELIVERED:&lt;ref&gt;:&lt;CAUSE&gt;:&lt;text&gt;</c>, its ref the one read.
    /// </summary>
    public static void AssertDocumentedError(ReadOnlySpan<byte> line, ReadOnlySpan<byte> reference)
    {
        Assert.True(line.StartsWith(Wire.Error), "starts ERROR:");
        var rest = line[Wire.Error.Length..];
        var colon = rest.IndexOf(Wire.Colon);
        Assert.True(colon > 0, "a code and a colon");
        Assert.True(Wire.TryParseCode(rest[..colon], out var code), "a documented code");
        rest = rest[(colon + 1)..];
        if (code != ErrorCode.NotDelivered)
            return;

        colon = rest.IndexOf(Wire.Colon);
        Assert.True(colon > 0, "a ref");
        Assert.Equal(Convert.ToHexString(reference), Convert.ToHexString(rest[..colon]));
        rest = rest[(colon + 1)..];
        colon = rest.IndexOf(Wire.Colon);
        Assert.True(colon > 0 && Wire.TryParseCode(rest[..colon], out _), "a documented cause");
    }

    private static string Error(ArrayBufferWriter<byte> text) => System.Text.Encoding.UTF8.GetString(text.WrittenSpan);
}
