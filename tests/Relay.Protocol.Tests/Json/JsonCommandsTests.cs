using System.Buffers;
using System.Text;
using Relay.Protocol.Json;

namespace Relay.Protocol.Tests.Json;

/// <summary>JSON client objects to the text lines they stand for, byte for byte, and text commands back to objects.</summary>
public sealed partial class JsonCommandsTests
{
    [Theory]
    [InlineData("""{"op":"to","to":3,"text":"hi"}""", "TO:3:hi")]
    [InlineData("""{"op":"to","to":3,"text":""}""", "TO:3:")]
    [InlineData("""{"op":"to","to":3,"text":"a:b::c:"}""", "TO:3:a:b::c:")]
    [InlineData("""{"op":"to","to":999999999999999999,"text":"largest id"}""", "TO:999999999999999999:largest id")]
    [InlineData("""{"op":"to","to":3,"text":"hi","ref":"a1"}""", "TOACK:a1:3:hi")]
    [InlineData("""{"ref":"a1","text":"hi","to":3,"op":"to"}""", "TOACK:a1:3:hi")]
    [InlineData("""{"op":"all","text":"hi all"}""", "ALL:hi all")]
    [InlineData("""{"op":"room","room":"dev","text":"hi room"}""", "ROOM:dev:hi room")]
    [InlineData("""{"op":"join","room":"dev"}""", "JOIN:dev")]
    [InlineData("""{"op":"join","room":"A-z_0.9"}""", "JOIN:A-z_0.9")]
    [InlineData("""{"op":"leave","room":"dev"}""", "LEAVE:dev")]
    [InlineData("""{"op":"rooms"}""", "ROOMS")]
    [InlineData("""{"op":"rooms","after":"dev"}""", "ROOMS:dev")]
    [InlineData("""{"op":"members","room":"dev"}""", "MEMBERS:dev")]
    [InlineData("""{"op":"members","room":"dev","after":12}""", "MEMBERS:dev:12")]
    [InlineData("""{"op":"members","room":"dev","after":0}""", "MEMBERS:dev:0")]
    [InlineData("""{"op":"who"}""", "WHO")]
    [InlineData("""{"op":"who","after":12}""", "WHO:12")]
    [InlineData("""{"op":"who","after":0}""", "WHO:0")]
    [InlineData("""{"op":"watch","on":true}""", "WATCH:ON")]
    [InlineData("""{"op":"watch","on":false}""", "WATCH:OFF")]
    [InlineData("""{"op":"ping"}""", "PING")]
    [InlineData("""{"op":"quit"}""", "QUIT")]
    [InlineData("""{"op":"hello"}""", "HELLO")]
    [InlineData("""  { "op" : "ping" }  """, "PING")]
    [InlineData("""{"\u006fp":"ping"}""", "PING")]
    public void Translates_every_op_to_the_exact_text_line(string json, string line)
    {
        var (translated, output, reference) = ToText(json);

        Assert.True(translated, output);
        Assert.Equal(line, output);
        Assert.Equal(line.StartsWith("TOACK:", StringComparison.Ordinal) ? "a1" : "", reference);
    }

    [Theory]
    [InlineData("""{"op":"ping","ref":"p1"}""", "PING", "p1")]
    [InlineData("""{"ref":"p1","op":"ping"}""", "PING", "p1")]
    [InlineData("""{"op":"join","room":"dev","ref":"j1"}""", "JOIN:dev", "j1")]
    [InlineData("""{"op":"leave","room":"dev","ref":"l1"}""", "LEAVE:dev", "l1")]
    [InlineData("""{"op":"who","after":5,"ref":"w1"}""", "WHO:5", "w1")]
    [InlineData("""{"op":"members","room":"dev","ref":"m1"}""", "MEMBERS:dev", "m1")]
    [InlineData("""{"op":"rooms","ref":"r1"}""", "ROOMS", "r1")]
    [InlineData("""{"op":"watch","on":true,"ref":"w2"}""", "WATCH:ON", "w2")]
    [InlineData("""{"op":"all","text":"x","ref":"b1"}""", "ALL:x", "b1")]
    [InlineData("""{"op":"room","room":"dev","text":"x","ref":"q1"}""", "ROOM:dev:x", "q1")]
    [InlineData("""{"op":"quit","ref":"bye"}""", "QUIT", "bye")]
    [InlineData("""{"op":"hello","ref":"h1"}""", "HELLO", "h1")]
    public void Hands_back_the_ref_of_any_op_to_echo_on_its_replies(string json, string line, string expectedRef)
    {
        var (translated, output, reference) = ToText(json);

        Assert.True(translated, output);
        Assert.Equal(line, output);
        Assert.Equal(expectedRef, reference);
    }

    [Theory]
    [InlineData("""{"op":"to","to":3,"text":"say \"hi\""}""", "TO:3:say \"hi\"")]
    [InlineData("""{"op":"to","to":3,"text":"back\\slash \\\\ two"}""", "TO:3:back\\slash \\\\ two")]
    [InlineData("""{"op":"to","to":3,"text":"ctl \u0001 \u001f end"}""", "TO:3:ctl \u0001 \u001f end")]
    [InlineData("""{"op":"to","to":3,"text":"nul \u0000 end"}""", "TO:3:nul \0 end")]
    [InlineData("""{"op":"to","to":3,"text":"tab\there"}""", "TO:3:tab\there")]
    [InlineData("""{"op":"to","to":3,"text":"\b\f\/"}""", "TO:3:\b\f/")]
    [InlineData("""{"op":"to","to":3,"text":"café é"}""", "TO:3:café é")]
    [InlineData("""{"op":"to","to":3,"text":"caf\u00e9 \u00E9"}""", "TO:3:café é")]
    [InlineData("""{"op":"to","to":3,"text":"안녕 B야"}""", "TO:3:안녕 B야")]
    [InlineData("""{"op":"to","to":3,"text":"emoji 😀"}""", "TO:3:emoji 😀")]
    [InlineData("""{"op":"to","to":3,"text":"emoji \ud83d\ude00"}""", "TO:3:emoji 😀")]
    [InlineData("""{"op":"all","text":"\"\\\u0001\t"}""", "ALL:\"\\\u0001\t")]
    [InlineData("""{"op":"room","room":"dev","text":"\"q\" \\ \u0001\té😀"}""", "ROOM:dev:\"q\" \\ \u0001\té😀")]
    [InlineData("""{"op":"to","to":3,"text":"\u2028 and \u0085 are not line breaks"}""", "TO:3:\u2028 and \u0085 are not line breaks")]
    public void Unescapes_text_into_the_line_byte_for_byte(string json, string line)
    {
        var output = new ArrayBufferWriter<byte>();

        Assert.True(JsonCommands.ToText(Encoding.UTF8.GetBytes(json), output, out _));
        Assert.Equal(Encoding.UTF8.GetBytes(line), output.WrittenSpan.ToArray());
    }

    [Fact]
    public void Unescapes_a_long_escaped_text_whole()
    {
        var text = new string('x', 700) + "\"\\\u0001é😀" + new string('y', 700);
        var json = "{\"op\":\"to\",\"to\":3,\"text\":\"" + new string('x', 700) + "\\\"\\\\\\u0001é\\ud83d\\ude00" + new string('y', 700) + "\"}";

        var (translated, output, _) = ToText(json);

        Assert.True(translated, output);
        Assert.Equal("TO:3:" + text, output);
    }

    [Theory]
    [InlineData("TO:3:hi", """{"op":"to","to":3,"text":"hi"}""")]
    [InlineData("TO:3:", """{"op":"to","to":3,"text":""}""")]
    [InlineData("TOACK:a1:3:hi", """{"op":"to","to":3,"text":"hi","ref":"a1"}""")]
    [InlineData("ALL:hi", """{"op":"all","text":"hi"}""")]
    [InlineData("ROOM:dev:hi", """{"op":"room","room":"dev","text":"hi"}""")]
    [InlineData("JOIN:dev", """{"op":"join","room":"dev"}""")]
    [InlineData("LEAVE:dev", """{"op":"leave","room":"dev"}""")]
    [InlineData("ROOMS", """{"op":"rooms"}""")]
    [InlineData("ROOMS:dev", """{"op":"rooms","after":"dev"}""")]
    [InlineData("MEMBERS:dev", """{"op":"members","room":"dev"}""")]
    [InlineData("MEMBERS:dev:12", """{"op":"members","room":"dev","after":12}""")]
    [InlineData("WHO", """{"op":"who"}""")]
    [InlineData("WHO:12", """{"op":"who","after":12}""")]
    [InlineData("WATCH:ON", """{"op":"watch","on":true}""")]
    [InlineData("WATCH:OFF", """{"op":"watch","on":false}""")]
    [InlineData("PING", """{"op":"ping"}""")]
    [InlineData("QUIT", """{"op":"quit"}""")]
    [InlineData("HELLO", """{"op":"hello"}""")]
    [InlineData("to:3:lower-case command", """{"op":"to","to":3,"text":"lower-case command"}""")]
    [InlineData("TO:3:say \"hi\" \\ \u0001\t\r é 😀", """{"op":"to","to":3,"text":"say \"hi\" \\ \u0001\t\r é 😀"}""")]
    [InlineData("ALL:\u0000\u001f\u007f", """{"op":"all","text":"\u0000\u001f""" + "\u007f\"}")]
    public void Writes_the_object_for_every_text_command_byte_for_byte(string line, string json)
    {
        var output = new ArrayBufferWriter<byte>();

        Assert.True(JsonCommands.FromText(Encoding.UTF8.GetBytes(line), output));
        Assert.Equal(Encoding.UTF8.GetBytes(json + "\n"), output.WrittenSpan.ToArray());
    }

    [Theory]
    [InlineData("PING", "p1", """{"op":"ping","ref":"p1"}""")]
    [InlineData("JOIN:dev", "j1", """{"op":"join","room":"dev","ref":"j1"}""")]
    [InlineData("WHO:3", "w1", """{"op":"who","after":3,"ref":"w1"}""")]
    [InlineData("TOACK:own:3:hi", "other", """{"op":"to","to":3,"text":"hi","ref":"own"}""")]
    public void Writes_the_given_ref_into_the_object_a_TOACKs_own_winning(string line, string reference, string json)
    {
        var output = new ArrayBufferWriter<byte>();

        Assert.True(JsonCommands.FromText(Encoding.UTF8.GetBytes(line), output, Encoding.UTF8.GetBytes(reference)));
        Assert.Equal(json + "\n", Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Theory]
    [InlineData("")]
    [InlineData("NOPE")]
    [InlineData("TO:x:y")]
    [InlineData("JOIN:a b")]
    [InlineData("TOACK:r5:x:hi")]
    [InlineData("WATCH:maybe")]
    public void Writes_nothing_for_a_line_the_text_parser_refuses(string line)
    {
        var output = new ArrayBufferWriter<byte>();

        Assert.False(JsonCommands.FromText(Encoding.UTF8.GetBytes(line), output));
        Assert.Equal(0, output.WrittenCount);
    }

    public static TheoryData<string, string> Commands => new()
    {
        { "TO:3:hi", "" },
        { "TO:3:", "" },
        { "TO:999999999999999999:a:b::c:", "" },
        { "TO:3:say \"hi\" \\ back\\slash \u0001\u001f\ttab é 안녕 😀 \u2028", "" },
        { "TOACK:a1:3:hi", "a1" },
        { "TOACK:a1:3:\"q\" \\ \u0001\té😀", "a1" },
        { "ALL:hi all", "" },
        { "ALL:\"q\" \\ \u0001\té😀", "b1" },
        { "ROOM:dev:hi room", "" },
        { "ROOM:dev:\"q\" \\ \u0001\té😀", "q1" },
        { "JOIN:dev", "" },
        { "JOIN:A-z_0.9", "j1" },
        { "LEAVE:dev", "l1" },
        { "ROOMS", "" },
        { "ROOMS", "r1" },
        { "ROOMS:dev", "" },
        { "MEMBERS:dev", "" },
        { "MEMBERS:dev:12", "m1" },
        { "WHO", "" },
        { "WHO", "w1" },
        { "WHO:12", "" },
        { "WATCH:ON", "" },
        { "WATCH:OFF", "w2" },
        { "PING", "" },
        { "PING", "p1" },
        { "QUIT", "" },
        { "HELLO", "h1" },
    };

    [Theory]
    [MemberData(nameof(Commands))]
    public void Round_trips_every_command_text_to_json_to_text(string line, string reference)
    {
        var json = new ArrayBufferWriter<byte>();
        Assert.True(JsonCommands.FromText(Encoding.UTF8.GetBytes(line), json, Encoding.UTF8.GetBytes(reference)));
        Assert.Equal((byte)'\n', json.WrittenSpan[^1]);

        var text = new ArrayBufferWriter<byte>();
        Assert.True(JsonCommands.ToText(json.WrittenSpan[..^1], text, out var back), Encoding.UTF8.GetString(text.WrittenSpan));

        Assert.Equal(Encoding.UTF8.GetBytes(line), text.WrittenSpan.ToArray());
        Assert.Equal(reference, Encoding.UTF8.GetString(back));
    }

    [Theory]
    [InlineData("""{"op":"to","to":3,"text":"say \"hi\" \\ \u0001\t é 😀"}""")]
    [InlineData("""{"op":"to","to":3,"text":"hi","ref":"a1"}""")]
    [InlineData("""{"op":"room","room":"dev","text":"x","ref":"q1"}""")]
    [InlineData("""{"op":"members","room":"dev","after":12,"ref":"m1"}""")]
    [InlineData("""{"op":"rooms","after":"dev"}""")]
    [InlineData("""{"op":"watch","on":false}""")]
    [InlineData("""{"op":"hello"}""")]
    public void Round_trips_a_canonical_object_json_to_text_to_json(string json)
    {
        var text = new ArrayBufferWriter<byte>();
        Assert.True(JsonCommands.ToText(Encoding.UTF8.GetBytes(json), text, out var reference));

        var back = new ArrayBufferWriter<byte>();
        Assert.True(JsonCommands.FromText(text.WrittenSpan, back, reference));

        Assert.Equal(Encoding.UTF8.GetBytes(json + "\n"), back.WrittenSpan.ToArray());
    }

    private static (bool Translated, string Output, string Reference) ToText(string json)
    {
        var output = new ArrayBufferWriter<byte>();
        var translated = JsonCommands.ToText(Encoding.UTF8.GetBytes(json), output, out var reference);
        return (translated, Encoding.UTF8.GetString(output.WrittenSpan), Encoding.UTF8.GetString(reference));
    }

    private static void AssertRefused(string json, string error)
    {
        var (translated, output, _) = ToText(json);

        Assert.False(translated, $"translated to '{output}'");
        Assert.Equal(error, output);
    }
}
