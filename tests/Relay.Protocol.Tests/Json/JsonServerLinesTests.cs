using System.Buffers;
using System.Text;
using Relay.Protocol.Json;

namespace Relay.Protocol.Tests.Json;

/// <summary>Text server lines as the JSON objects a JSON client is sent, and back as the client library reads them.</summary>
public sealed class JsonServerLinesTests
{
    [Theory]
    [InlineData("YOUR_ID:7", """{"op":"hello","id":7}""")]
    [InlineData("FROM:3:hi", """{"op":"from","from":3,"text":"hi"}""")]
    [InlineData("FROM:3:", """{"op":"from","from":3,"text":""}""")]
    [InlineData("FROM:3:a:b::c:", """{"op":"from","from":3,"text":"a:b::c:"}""")]
    [InlineData("ALL:3:hi", """{"op":"all","from":3,"text":"hi"}""")]
    [InlineData("ROOM:dev:3:hi", """{"op":"room","room":"dev","from":3,"text":"hi"}""")]
    [InlineData("OK:JOIN:dev", """{"op":"ok","command":"join","room":"dev"}""")]
    [InlineData("OK:LEAVE:dev", """{"op":"ok","command":"leave","room":"dev"}""")]
    [InlineData("OK:WATCH:ON", """{"op":"ok","command":"watch","on":true}""")]
    [InlineData("OK:WATCH:OFF", """{"op":"ok","command":"watch","on":false}""")]
    [InlineData("OK:FUTURE:thing", """{"op":"ok","command":"future","arg":"thing"}""")]
    [InlineData("JOINED:9", """{"op":"joined","id":9}""")]
    [InlineData("LEFT:9", """{"op":"left","id":9}""")]
    [InlineData("DELIVERED:a1", """{"op":"delivered","ref":"a1"}""")]
    [InlineData("WHO:2:3,7", """{"op":"who","total":2,"ids":[3,7],"more":false}""")]
    [InlineData("WHO:1:5", """{"op":"who","total":1,"ids":[5],"more":false}""")]
    [InlineData("WHO:0:", """{"op":"who","total":0,"ids":[],"more":false}""")]
    [InlineData("WHO:1203:1,2,3:MORE", """{"op":"who","total":1203,"ids":[1,2,3],"more":true}""")]
    [InlineData("MEMBERS:dev:2:3,7", """{"op":"members","room":"dev","total":2,"ids":[3,7],"more":false}""")]
    [InlineData("MEMBERS:nobody-here:0:", """{"op":"members","room":"nobody-here","total":0,"ids":[],"more":false}""")]
    [InlineData("MEMBERS:dev:900:1,2:MORE", """{"op":"members","room":"dev","total":900,"ids":[1,2],"more":true}""")]
    [InlineData("ROOMS:dev=3,lobby=2", """{"op":"rooms","rooms":[{"room":"dev","members":3},{"room":"lobby","members":2}],"more":false}""")]
    [InlineData("ROOMS:dev=3", """{"op":"rooms","rooms":[{"room":"dev","members":3}],"more":false}""")]
    [InlineData("ROOMS:", """{"op":"rooms","rooms":[],"more":false}""")]
    [InlineData("ROOMS:a=1,b=2:MORE", """{"op":"rooms","rooms":[{"room":"a","members":1},{"room":"b","members":2}],"more":true}""")]
    [InlineData("ERROR:UNKNOWN_TARGET:no client 9", """{"op":"error","code":"UNKNOWN_TARGET","text":"no client 9"}""")]
    [InlineData("ERROR:NOT_MEMBER:not in room dev; JOIN:dev first", """{"op":"error","code":"NOT_MEMBER","text":"not in room dev; JOIN:dev first"}""")]
    [InlineData("ERROR:BAD_JSON:expected one JSON object per line, like {\"op\":\"ping\"}", """{"op":"error","code":"BAD_JSON","text":"expected one JSON object per line, like {\"op\":\"ping\"}"}""")]
    [InlineData("ERROR:TOO_LONG:line longer than 65536 bytes discarded", """{"op":"error","code":"TOO_LONG","text":"line longer than 65536 bytes discarded"}""")]
    [InlineData("ERROR:NOT_DELIVERED:a1:TIMEOUT:no receipt within 15 s", """{"op":"error","code":"NOT_DELIVERED","cause":"TIMEOUT","text":"no receipt within 15 s","ref":"a1"}""")]
    [InlineData("ERROR:NOT_DELIVERED:a1:UNKNOWN_TARGET:no client 7", """{"op":"error","code":"NOT_DELIVERED","cause":"UNKNOWN_TARGET","text":"no client 7","ref":"a1"}""")]
    [InlineData("ERROR:NOT_DELIVERED:r5:BAD_FORMAT:expected a:b", """{"op":"error","code":"NOT_DELIVERED","cause":"BAD_FORMAT","text":"expected a:b","ref":"r5"}""")]
    [InlineData("PONG", """{"op":"pong"}""")]
    [InlineData("RECONNECT:node leaving; connect to another", """{"op":"reconnect","text":"node leaving; connect to another"}""")]
    [InlineData("HELLO THERE", """{"op":"line","text":"HELLO THERE"}""")]
    [InlineData("FROM:x:y", """{"op":"line","text":"FROM:x:y"}""")]
    public void Writes_the_exact_object_for_every_server_line(string line, string json) =>
        Assert.Equal(json + "\n", ToJson(line, ""));

    [Theory]
    [InlineData("OK:JOIN:dev", """{"op":"ok","command":"join","room":"dev","ref":"j1"}""")]
    [InlineData("OK:WATCH:ON", """{"op":"ok","command":"watch","on":true,"ref":"j1"}""")]
    [InlineData("PONG", """{"op":"pong","ref":"j1"}""")]
    [InlineData("WHO:2:3,7", """{"op":"who","total":2,"ids":[3,7],"more":false,"ref":"j1"}""")]
    [InlineData("MEMBERS:dev:0:", """{"op":"members","room":"dev","total":0,"ids":[],"more":false,"ref":"j1"}""")]
    [InlineData("ROOMS:dev=1:MORE", """{"op":"rooms","rooms":[{"room":"dev","members":1}],"more":true,"ref":"j1"}""")]
    [InlineData("ERROR:NOT_MEMBER:not in room dev; JOIN:dev first", """{"op":"error","code":"NOT_MEMBER","text":"not in room dev; JOIN:dev first","ref":"j1"}""")]
    [InlineData("FROM:3:hi", """{"op":"from","from":3,"text":"hi","ref":"j1"}""")]
    [InlineData("YOUR_ID:7", """{"op":"hello","id":7,"ref":"j1"}""")]
    [InlineData("HELLO THERE", """{"op":"line","text":"HELLO THERE","ref":"j1"}""")]
    public void Adds_the_ref_of_the_command_a_line_answers(string line, string json) =>
        Assert.Equal(json + "\n", ToJson(line, "j1"));

    [Theory]
    [InlineData("DELIVERED:a1", """{"op":"delivered","ref":"a1"}""")]
    [InlineData("ERROR:NOT_DELIVERED:a1:DISCONNECTED:client 3 left", """{"op":"error","code":"NOT_DELIVERED","cause":"DISCONNECTED","text":"client 3 left","ref":"a1"}""")]
    public void Keeps_the_ref_a_receipt_carries_over_the_one_given(string line, string json) =>
        Assert.Equal(json + "\n", ToJson(line, "other"));

    [Theory]
    [InlineData("FROM:3:say \"hi\"", """{"op":"from","from":3,"text":"say \"hi\""}""")]
    [InlineData("FROM:3:back\\slash \\\\", """{"op":"from","from":3,"text":"back\\slash \\\\"}""")]
    [InlineData("FROM:3:\u0001\u0000\u001f\b\f", """{"op":"from","from":3,"text":"\u0001\u0000\u001f\u0008\u000c"}""")]
    [InlineData("FROM:3:tab\there\rcr", """{"op":"from","from":3,"text":"tab\there\rcr"}""")]
    [InlineData("FROM:3:café 안녕 😀 \u2028 /", """{"op":"from","from":3,"text":"café 안녕 😀 """ + "\u2028" + """ /"}""")]
    [InlineData("FROM:3:del \u007f", """{"op":"from","from":3,"text":"del """ + "\u007f\"}")]
    [InlineData("ALL:3:\"\\\u0001\té😀", """{"op":"all","from":3,"text":"\"\\\u0001\té😀"}""")]
    [InlineData("ROOM:dev:3:\"\\\u0001\té😀", """{"op":"room","room":"dev","from":3,"text":"\"\\\u0001\té😀"}""")]
    [InlineData("RECONNECT:\"x\"", """{"op":"reconnect","text":"\"x\""}""")]
    [InlineData("WEIRD\\\"\u0001", """{"op":"line","text":"WEIRD\\\"\u0001"}""")]
    public void Escapes_quotes_backslashes_and_control_characters_and_nothing_else(string line, string json)
    {
        var output = new ArrayBufferWriter<byte>();

        JsonServerLines.ToJson(Encoding.UTF8.GetBytes(line), default, output);

        Assert.Equal(Encoding.UTF8.GetBytes(json + "\n"), output.WrittenSpan.ToArray());
    }

    public static TheoryData<string, string?> ServerLineKinds => new()
    {
        { "YOUR_ID:7", null },
        { "FROM:3:hi", null },
        { "FROM:3:", null },
        { "FROM:3:a:b::c:", null },
        { "FROM:3:say \"hi\" \\ back\\slash \u0001\u001f\ttab\rcr é 안녕 😀 \u2028 \u007f", null },
        { "ALL:3:hi all", null },
        { "ALL:3:\"q\" \\ \u0001\té😀", null },
        { "ROOM:dev:3:hi room", null },
        { "ROOM:dev:3:\"q\" \\ \u0001\té😀", null },
        { "OK:JOIN:dev", "j1" },
        { "OK:LEAVE:dev", null },
        { "OK:WATCH:ON", "w1" },
        { "OK:WATCH:OFF", null },
        { "OK:FUTURE:thing", null },
        { "JOINED:9", null },
        { "LEFT:9", null },
        { "DELIVERED:a1", "a1" },
        { "WHO:2:3,7", null },
        { "WHO:0:", "w2" },
        { "WHO:1203:1,2,3:MORE", null },
        { "MEMBERS:dev:2:3,7", null },
        { "MEMBERS:nobody-here:0:", "m1" },
        { "MEMBERS:dev:900:1,2:MORE", null },
        { "ROOMS:dev=3,lobby=2", null },
        { "ROOMS:", "r1" },
        { "ROOMS:a=1,b=2:MORE", null },
        { "ERROR:UNKNOWN_TARGET:no client 9", null },
        { "ERROR:NOT_MEMBER:not in room dev; JOIN:dev first", "l1" },
        { "ERROR:BAD_JSON:not valid JSON (at byte 12)", null },
        { "ERROR:NOT_DELIVERED:a1:TIMEOUT:no receipt within 15 s", "a1" },
        { "ERROR:NOT_DELIVERED:a1:UNKNOWN_TARGET:no client 7", "a1" },
        { "PONG", null },
        { "PONG", "p1" },
        { "RECONNECT:node leaving; connect to another", null },
        { "HELLO THERE", null },
        { "FROM:x:y", null },
    };

    [Theory]
    [MemberData(nameof(ServerLineKinds))]
    public void Round_trips_every_server_line_text_to_json_to_text(string line, string? reference)
    {
        // Receipts carry their own ref; any other line gets the ref of the command it answers.
        var json = new ArrayBufferWriter<byte>();
        JsonServerLines.ToJson(Encoding.UTF8.GetBytes(line), Encoding.UTF8.GetBytes(reference ?? ""), json);
        Assert.Equal((byte)'\n', json.WrittenSpan[^1]);

        var text = new ArrayBufferWriter<byte>();
        Assert.True(JsonServerLines.ToText(json.WrittenSpan[..^1], text, out var back), Encoding.UTF8.GetString(json.WrittenSpan));

        Assert.Equal(Encoding.UTF8.GetBytes(line), text.WrittenSpan.ToArray());
        Assert.Equal(reference, back);
    }

    [Theory]
    [InlineData("""{"op":"from","from":3,"text":"hi","extra":{"a":[1]},"later":true}""", "FROM:3:hi")]
    [InlineData("""{"text":"hi","from":3,"op":"from"}""", "FROM:3:hi")]
    [InlineData("""{"op":"from","from":3,"text":"caf\u00e9 \ud83d\ude00 \"q\""}""", "FROM:3:café 😀 \"q\"")]
    public void Reads_an_object_ignoring_fields_it_does_not_know_and_field_order(string json, string line)
    {
        var text = new ArrayBufferWriter<byte>();

        Assert.True(JsonServerLines.ToText(Encoding.UTF8.GetBytes(json), text, out _));
        Assert.Equal(line, Encoding.UTF8.GetString(text.WrittenSpan));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("""{"op":"from","from":3""")]
    [InlineData("""{"op":"from","from":"3","text":"x"}""")]
    [InlineData("""{"op":"from","text":"x"}""")]
    [InlineData("""{"op":"nope"}""")]
    [InlineData("""{"from":3,"text":"x"}""")]
    public void Refuses_to_translate_what_is_not_a_server_object_writing_nothing(string json)
    {
        var text = new ArrayBufferWriter<byte>();

        Assert.False(JsonServerLines.ToText(Encoding.UTF8.GetBytes(json), text, out _));
        Assert.Equal(0, text.WrittenCount);
    }

    // Found by fuzzing: the first threw NullReferenceException out of ToText, and so out of a
    // client library reading a buggy or hostile server. A room without a name is no room either.
    [Theory]
    [InlineData("""{"op":"rooms","total":7,"code":"alInVOX.MO442j4SQXZ5.NB3pZ-vCbptwtPeb2e.zhfgYjRu-J.B3LEEjCSb4KFw","rooms":[null,{"room":"5","members":98},{"room":"TZYmftZOLmlZqRo-qwUNgwN18--xe7YF","members":10}],"cause":"tknLmfYlAGY-3pf3SKFdtaqNzWvTUn_0aMfE9sbWM9QfBIe48a5gnK8fr1qL6eUG","ids":[8252534553614,7728,6]}""")]
    [InlineData("""{"op":"rooms","rooms":[null]}""")]
    [InlineData("""{"op":"rooms","rooms":[{"members":3}]}""")]
    [InlineData("""{"op":"rooms","rooms":[{"room":null,"members":3}]}""")]
    public void Refuses_a_rooms_object_holding_a_room_that_is_null_or_has_no_name(string json)
    {
        var text = new ArrayBufferWriter<byte>();

        Assert.False(JsonServerLines.ToText(Encoding.UTF8.GetBytes(json), text, out _));
        Assert.Equal(0, text.WrittenCount);
    }

    private static string ToJson(string line, string reference)
    {
        var output = new ArrayBufferWriter<byte>();
        JsonServerLines.ToJson(Encoding.UTF8.GetBytes(line), Encoding.UTF8.GetBytes(reference), output);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }
}
