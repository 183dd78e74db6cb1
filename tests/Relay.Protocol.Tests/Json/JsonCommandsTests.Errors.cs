using System.Buffers;
using System.Text;
using System.Text.Unicode;
using Relay.Protocol.Json;

namespace Relay.Protocol.Tests.Json;

/// <summary>Every malformed JSON object gets its exact error; the ref it could read comes back to echo on it.</summary>
public sealed partial class JsonCommandsTests
{
    private const string ObjectPerLine = "ERROR:BAD_JSON:expected one JSON object per line, like {\"op\":\"ping\"}";
    private const string NameRule = "ERROR:BAD_NAME:rooms and refs are strings of 1-64 characters A-Z a-z 0-9 _ . - (written plainly)";
    private const string IdRule = "ERROR:BAD_FORMAT:\"to\" must be a client id: a positive integer of at most 18 digits";
    private const string TextRule = "ERROR:BAD_FORMAT:\"text\" must be a string";
    private const string AfterRule = "ERROR:BAD_FORMAT:\"after\" is the last id (who, members) or room (rooms) of the previous page";
    private const string OnRule = "ERROR:BAD_FORMAT:\"on\" must be true or false";
    private const string LineBreakRule = "ERROR:BAD_FORMAT:\"text\" cannot hold a line break (CR or LF): a text client could not receive it; send one message per line";
    private const string LoneSurrogate = "ERROR:BAD_ENCODING:\"text\" holds an escape that is not a Unicode character";

    // The byte is where the reader stood: the start of the token it could not read.
    [Theory]
    [InlineData("""hello""", "ERROR:BAD_JSON:not valid JSON (at byte 0)")]
    [InlineData("""{""", "ERROR:BAD_JSON:not valid JSON (at byte 1)")]
    [InlineData("""{"op":"ping\""", "ERROR:BAD_JSON:not valid JSON (at byte 6)")]
    [InlineData("""{"op":"ping""", "ERROR:BAD_JSON:not valid JSON (at byte 6)")]
    [InlineData("""{"op":"ping",}""", "ERROR:BAD_JSON:not valid JSON (at byte 13)")]
    [InlineData("""{'op':'ping'}""", "ERROR:BAD_JSON:not valid JSON (at byte 1)")]
    [InlineData("""{op:"ping"}""", "ERROR:BAD_JSON:not valid JSON (at byte 1)")]
    [InlineData("""{"op":"ping" /* c */}""", "ERROR:BAD_JSON:not valid JSON (at byte 13)")]
    [InlineData("{\"op\":\"to\",\"to\":3,\"text\":\"raw\ttab\"}", "ERROR:BAD_JSON:not valid JSON (at byte 25)")]
    [InlineData("{\"op\":\"to\",\"to\":3,\"text\":\"raw\rCR\"}", "ERROR:BAD_JSON:not valid JSON (at byte 25)")]
    [InlineData("""{"op":"to","to":3,"text":"bad \x escape"}""", "ERROR:BAD_JSON:not valid JSON (at byte 25)")]
    public void Refuses_what_is_not_valid_json_as_bad_json(string json, string error) =>
        AssertRefused(json, error);

    [Theory]
    [InlineData("""[]""")]
    [InlineData("""[{"op":"ping"}]""")]
    [InlineData("""  "ping" """)]
    [InlineData("""42""")]
    [InlineData("""null""")]
    [InlineData("""true""")]
    public void Refuses_json_that_is_not_an_object(string json) =>
        AssertRefused(json, ObjectPerLine);

    [Theory]
    [InlineData("""{"op":"ping"} x""")]
    [InlineData("""{"op":"ping"}}""")]
    [InlineData("""{"op":"ping"}{"op":"ping"}""")]
    [InlineData("""{"op":"ping"},""")]
    [InlineData("""{"op":"ping"} 1""")]
    public void Refuses_anything_after_the_object(string json)
    {
        var (translated, output, _) = ToText(json);

        Assert.False(translated);
        Assert.StartsWith("ERROR:BAD_JSON:", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"op":"ping"} x""", "ERROR:BAD_JSON:not valid JSON (at byte 14)")]
    [InlineData("""{"op":"ping"}{"op":"ping"}""", "ERROR:BAD_JSON:not valid JSON (at byte 13)")]
    public void Says_where_trailing_content_starts(string json, string error) =>
        AssertRefused(json, error);

    [Theory]
    [InlineData("""{}""", "ERROR:BAD_FORMAT:missing field \"op\": every object says what it is, like {\"op\":\"ping\"}")]
    [InlineData("""{"to":3,"text":"hi"}""", "ERROR:BAD_FORMAT:missing field \"op\": every object says what it is, like {\"op\":\"ping\"}")]
    [InlineData("""{"op":"nope"}""", "ERROR:UNKNOWN_COMMAND:unknown op \"nope\"")]
    [InlineData("""{"op":"PING"}""", "ERROR:UNKNOWN_COMMAND:unknown op \"PING\"")]
    [InlineData("""{"op":""}""", "ERROR:UNKNOWN_COMMAND:unknown op \"\"")]
    [InlineData("""{"op":"from","from":1}""", "ERROR:BAD_FORMAT:unknown field \"from\"")]
    [InlineData("""{"op":"nope","room":"dev"}""", "ERROR:UNKNOWN_COMMAND:unknown op \"nope\"")]
    [InlineData("""{"op":"ping","bogus":1}""", "ERROR:BAD_FORMAT:unknown field \"bogus\"")]
    [InlineData("""{"bogus":1,"op":"ping"}""", "ERROR:BAD_FORMAT:unknown field \"bogus\"")]
    [InlineData("""{"op":"ping","Op":"ping"}""", "ERROR:BAD_FORMAT:unknown field \"Op\"")]
    [InlineData("""{"op":"ping","b\u0061d":1}""", "ERROR:BAD_FORMAT:unknown field \"b\\u0061d\"")]
    [InlineData("""{"op":"ping","op":"ping"}""", "ERROR:BAD_FORMAT:field given twice: \"op\"")]
    [InlineData("""{"op":"to","to":3,"to":4,"text":"x"}""", "ERROR:BAD_FORMAT:field given twice: \"to\"")]
    [InlineData("""{"op":"to","to":3,"text":"x","text":"y"}""", "ERROR:BAD_FORMAT:field given twice: \"text\"")]
    [InlineData("""{"op":"join","room":"a","room":"b"}""", "ERROR:BAD_FORMAT:field given twice: \"room\"")]
    [InlineData("""{"op":"ping","ref":"a","ref":"b"}""", "ERROR:BAD_FORMAT:field given twice: \"ref\"")]
    [InlineData("""{"op":"who","after":1,"after":2}""", "ERROR:BAD_FORMAT:field given twice: \"after\"")]
    [InlineData("""{"op":"watch","on":true,"on":false}""", "ERROR:BAD_FORMAT:field given twice: \"on\"")]
    [InlineData("""{"op":"ping","room":"dev"}""", "ERROR:BAD_FORMAT:field does not belong to this op: \"room\"")]
    [InlineData("""{"op":"all","text":"x","to":3}""", "ERROR:BAD_FORMAT:field does not belong to this op: \"to\"")]
    [InlineData("""{"op":"join","room":"dev","text":"x"}""", "ERROR:BAD_FORMAT:field does not belong to this op: \"text\"")]
    [InlineData("""{"op":"who","room":"dev"}""", "ERROR:BAD_FORMAT:field does not belong to this op: \"room\"")]
    [InlineData("""{"op":"rooms","on":true}""", "ERROR:BAD_FORMAT:field does not belong to this op: \"on\"")]
    [InlineData("""{"op":"watch","on":true,"after":1}""", "ERROR:BAD_FORMAT:field does not belong to this op: \"after\"")]
    [InlineData("""{"op":"to","to":1,"text":"x","on":true}""", "ERROR:BAD_FORMAT:field does not belong to this op: \"on\"")]
    [InlineData("""{"op":"room","room":"dev","text":"x","after":1}""", "ERROR:BAD_FORMAT:field does not belong to this op: \"after\"")]
    [InlineData("""{"op":"quit","text":"bye"}""", "ERROR:BAD_FORMAT:field does not belong to this op: \"text\"")]
    [InlineData("""{"op":"to","to":3}""", "ERROR:BAD_FORMAT:missing field \"text\"")]
    [InlineData("""{"op":"to","text":"x"}""", "ERROR:BAD_FORMAT:missing field \"to\"")]
    [InlineData("""{"op":"to","ref":"a1"}""", "ERROR:NOT_DELIVERED:a1:BAD_FORMAT:missing field \"to\"")]
    [InlineData("""{"op":"all"}""", "ERROR:BAD_FORMAT:missing field \"text\"")]
    [InlineData("""{"op":"room","text":"x"}""", "ERROR:BAD_FORMAT:missing field \"room\"")]
    [InlineData("""{"op":"room","room":"dev"}""", "ERROR:BAD_FORMAT:missing field \"text\"")]
    [InlineData("""{"op":"join"}""", "ERROR:BAD_FORMAT:missing field \"room\"")]
    [InlineData("""{"op":"leave"}""", "ERROR:BAD_FORMAT:missing field \"room\"")]
    [InlineData("""{"op":"members"}""", "ERROR:BAD_FORMAT:missing field \"room\"")]
    [InlineData("""{"op":"members","after":3}""", "ERROR:BAD_FORMAT:missing field \"room\"")]
    [InlineData("""{"op":"watch"}""", "ERROR:BAD_FORMAT:missing field \"on\"")]
    public void Names_the_field_that_is_missing_unknown_repeated_or_misplaced(string json, string error) =>
        AssertRefused(json, error);

    [Fact]
    public void Names_an_unknown_field_escaping_a_lone_surrogate_as_an_unknown_field_not_as_bad_text()
    {
        // No field is named so, and the message must not blame "text", which the object lacks.
        AssertRefused("""{"op":"ping","\ud800":1}""", "ERROR:BAD_FORMAT:unknown field \"\\ud800\"");
    }

    [Fact]
    public void Shows_at_most_64_bytes_of_an_unknown_field_name()
    {
        var name = new string('f', 100);

        AssertRefused("{\"op\":\"ping\",\"" + name + "\":1}", "ERROR:BAD_FORMAT:unknown field \"" + new string('f', 64) + "\"");
    }

    // Found by fuzzing: the cut fell inside a character, and the error line was not UTF-8.
    [Fact]
    public void Cuts_a_long_field_name_or_op_between_characters_so_the_error_stays_utf8()
    {
        var found = Convert.FromHexString("7B226F70223A2278222C222CEFBFBF5C753030306430C3A95C7530303166305C75303033613A7BEFBFBF68697B544F3A313A205A5C753030303920C39F2F3D7F5C75303064663DC3A9E280A95C753030303139EFBBBF7D617B615C7530303031395C75303032325C7530303064C39F2CEC9588EB85955C22F09D849EE280A95C75303061307B5C7530303563544F3A315C7530303361223A66616C73652C224F70223A5B6E756C6C5D2C22745C75303036357874223A22222C22223A22C3A9F09F9880227D");
        var output = new ArrayBufferWriter<byte>();

        Assert.False(JsonCommands.ToText(found, output, out _));
        Assert.True(Utf8.IsValid(output.WrittenSpan), Encoding.UTF8.GetString(output.WrittenSpan));

        AssertRefused("{\"op\":\"ping\",\"" + new string('f', 63) + "é\":1}", "ERROR:BAD_FORMAT:unknown field \"" + new string('f', 63) + "\"");
        AssertRefused("{\"op\":\"" + new string('o', 62) + "😀\"}", "ERROR:UNKNOWN_COMMAND:unknown op \"" + new string('o', 62) + "\"");
        AssertRefused("{\"op\":\"ping\",\"" + new string('f', 64) + "é\":1}", "ERROR:BAD_FORMAT:unknown field \"" + new string('f', 64) + "\"");
    }

    [Theory]
    [InlineData("""{"op":1}""")]
    [InlineData("""{"op":null}""")]
    [InlineData("""{"op":true}""")]
    [InlineData("""{"op":["ping"]}""")]
    [InlineData("""{"op":{"x":1}}""")]
    [InlineData("""{"op":"p\u0069ng"}""")]
    public void Refuses_an_op_that_is_not_a_plain_string(string json) =>
        AssertRefused(json, "ERROR:BAD_FORMAT:\"op\" must be a string written plainly (no escapes), like \"to\"");

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("-0")]
    [InlineData("2.5")]
    [InlineData("2.0")]
    [InlineData("\"2\"")]
    [InlineData("1e30")]
    [InlineData("1E2")]
    [InlineData("1000000000000000000")]
    [InlineData("9223372036854775807")]
    [InlineData("99999999999999999999")]
    [InlineData("null")]
    [InlineData("true")]
    [InlineData("[3]")]
    [InlineData("{}")]
    public void Refuses_a_to_that_is_not_a_client_id(string value) =>
        AssertRefused("{\"op\":\"to\",\"to\":" + value + ",\"text\":\"hi\"}", IdRule);

    [Theory]
    [InlineData("1")]
    [InlineData("null")]
    [InlineData("false")]
    [InlineData("[\"hi\"]")]
    [InlineData("{\"t\":\"hi\"}")]
    public void Refuses_a_text_that_is_not_a_string(string value)
    {
        AssertRefused("{\"op\":\"to\",\"to\":3,\"text\":" + value + "}", TextRule);
        AssertRefused("{\"op\":\"all\",\"text\":" + value + "}", TextRule);
        AssertRefused("{\"op\":\"room\",\"room\":\"dev\",\"text\":" + value + "}", TextRule);
    }

    [Theory]
    [InlineData("\"\"")]
    [InlineData("\"a b\"")]
    [InlineData("\"a:b\"")]
    [InlineData("\"a,b\"")]
    [InlineData("\"a=b\"")]
    [InlineData("\"café\"")]
    [InlineData("\"d\\u0065v\"")]
    [InlineData("\"dev\\/x\"")]
    [InlineData("\"" + "r123456789r123456789r123456789r123456789r123456789r123456789r1234" + "\"")]
    [InlineData("1")]
    [InlineData("null")]
    [InlineData("[\"dev\"]")]
    public void Refuses_a_room_or_ref_that_breaks_the_naming_rule_as_bad_name(string value)
    {
        AssertRefused("{\"op\":\"join\",\"room\":" + value + "}", NameRule);
        AssertRefused("{\"op\":\"room\",\"room\":" + value + ",\"text\":\"x\"}", NameRule);
        AssertRefused("{\"op\":\"members\",\"room\":" + value + "}", NameRule);
        AssertRefused("{\"op\":\"ping\",\"ref\":" + value + "}", NameRule);
        AssertRefused("{\"op\":\"to\",\"to\":3,\"text\":\"x\",\"ref\":" + value + "}", NameRule);
    }

    [Fact]
    public void Accepts_a_name_of_exactly_64_characters()
    {
        var name = new string('n', Names.MaxLength);

        Assert.Equal("JOIN:" + name, ToText("{\"op\":\"join\",\"room\":\"" + name + "\"}").Output);
    }

    [Theory]
    [InlineData("who", "-1")]
    [InlineData("who", "2.5")]
    [InlineData("who", "1e30")]
    [InlineData("who", "1000000000000000000")]
    [InlineData("who", "null")]
    [InlineData("who", "true")]
    [InlineData("who", "[1]")]
    [InlineData("rooms", "null")]
    [InlineData("rooms", "[\"dev\"]")]
    public void Refuses_an_after_of_the_wrong_type_or_range(string op, string value) =>
        AssertRefused("{\"op\":\"" + op + "\",\"after\":" + value + "}", AfterRule);

    [Theory]
    [InlineData("-1")]
    [InlineData("2.5")]
    [InlineData("true")]
    public void Refuses_a_members_after_of_the_wrong_type_or_range(string value) =>
        AssertRefused("{\"op\":\"members\",\"room\":\"dev\",\"after\":" + value + "}", AfterRule);

    [Theory]
    [InlineData("""{"op":"who","after":"dev"}""")]
    [InlineData("""{"op":"who","after":"12"}""")]
    [InlineData("""{"op":"members","room":"dev","after":"12"}""")]
    public void Refuses_a_room_name_as_the_after_of_an_id_list(string json) =>
        AssertRefused(json, "ERROR:BAD_FORMAT:\"after\" is the last id of the previous page, an integer of 0 or more");

    [Theory]
    [InlineData("""{"op":"rooms","after":12}""")]
    [InlineData("""{"op":"rooms","after":0}""")]
    public void Refuses_a_number_as_the_after_of_rooms(string json) =>
        AssertRefused(json, "ERROR:BAD_FORMAT:\"after\" of rooms is the last room of the previous page, a string");

    [Theory]
    [InlineData("""{"op":"rooms","after":""}""")]
    [InlineData("""{"op":"rooms","after":"a b"}""")]
    [InlineData("""{"op":"rooms","after":"d\u0065v"}""")]
    public void Refuses_an_after_of_rooms_that_breaks_the_naming_rule_as_bad_name_as_ROOMS_does(string json)
    {
        // The after of rooms is a room name (docs/protocol.md, "Names (room, ref, the after of
        // rooms) are written plainly"), and the text line it stands for, ROOMS:<after>, refuses a
        // bad one with BAD_NAME ("ROOMS: with nothing after the colon is BAD_NAME").
        var (translated, output, _) = ToText(json);

        Assert.False(translated);
        Assert.StartsWith("ERROR:BAD_NAME:", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"true\"")]
    [InlineData("\"ON\"")]
    [InlineData("1")]
    [InlineData("0")]
    [InlineData("null")]
    public void Refuses_an_on_that_is_not_a_boolean(string value) =>
        AssertRefused("{\"op\":\"watch\",\"on\":" + value + "}", OnRule);

    [Theory]
    [InlineData("""{"op":"to","to":3,"text":"a\nb"}""")]
    [InlineData("""{"op":"to","to":3,"text":"a\rb"}""")]
    [InlineData("""{"op":"to","to":3,"text":"a\u000ab"}""")]
    [InlineData("""{"op":"to","to":3,"text":"a\u000Ab"}""")]
    [InlineData("""{"op":"to","to":3,"text":"a\u000db"}""")]
    [InlineData("""{"op":"to","to":3,"text":"line\r\n"}""")]
    [InlineData("""{"op":"to","to":3,"text":"\n"}""")]
    [InlineData("""{"op":"all","text":"a\nb"}""")]
    [InlineData("""{"op":"room","room":"dev","text":"a\u000ab"}""")]
    public void Refuses_a_text_holding_a_line_break(string json) =>
        AssertRefused(json, LineBreakRule);

    [Fact]
    public void Refuses_a_long_text_holding_a_line_break_at_its_end()
    {
        // Longer than the stack scratch the check starts with.
        AssertRefused("{\"op\":\"all\",\"text\":\"" + new string('x', 2000) + "\\\"\\n\"}", LineBreakRule);
    }

    [Theory]
    [InlineData("""{"op":"to","to":3,"text":"\ud800"}""")]
    [InlineData("""{"op":"to","to":3,"text":"\udc00"}""")]
    [InlineData("""{"op":"to","to":3,"text":"a\ud800b"}""")]
    [InlineData("""{"op":"to","to":3,"text":"\ud800\u0041"}""")]
    [InlineData("""{"op":"to","to":3,"text":"\ude00\ud83d"}""")]
    [InlineData("""{"op":"all","text":"\ud83d"}""")]
    [InlineData("""{"op":"room","room":"dev","text":"x\ud800"}""")]
    public void Refuses_a_text_escaping_a_lone_surrogate_as_bad_encoding(string json) =>
        AssertRefused(json, LoneSurrogate);

    [Fact]
    public void Refuses_a_long_text_escaping_a_lone_surrogate_as_bad_encoding() =>
        AssertRefused("{\"op\":\"all\",\"text\":\"" + new string('x', 2000) + "\\ud800\"}", LoneSurrogate);

    [Theory]
    [InlineData(new byte[] { 0xFF })]
    [InlineData(new byte[] { 0xC3 })]
    [InlineData(new byte[] { 0xC0, 0xAF })]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]
    [InlineData(new byte[] { 0xF4, 0x90, 0x80, 0x80 })]
    public void Refuses_a_line_that_is_not_utf8_as_bad_encoding(byte[] invalid)
    {
        byte[] json = [.. "{\"op\":\"to\",\"to\":3,\"text\":\"ok "u8, .. invalid, .. "\"}"u8];
        var output = new ArrayBufferWriter<byte>();

        Assert.False(JsonCommands.ToText(json, output, out _));
        Assert.Equal("ERROR:BAD_ENCODING:the line is not valid UTF-8", Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Fact]
    public void Refuses_invalid_utf8_outside_any_string_as_bad_encoding()
    {
        var output = new ArrayBufferWriter<byte>();

        Assert.False(JsonCommands.ToText([0xFF, .. "{\"op\":\"ping\"}"u8], output, out _));
        Assert.Equal("ERROR:BAD_ENCODING:the line is not valid UTF-8", Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Theory]
    [InlineData("""{"op":"to","to":3,"text":"a\"}""", "ERROR:BAD_JSON:not valid JSON (at byte 25)")]
    [InlineData("""{"op":"to","to":03,"text":"x"}""", "ERROR:BAD_JSON:not valid JSON (at byte 16)")]
    [InlineData("""{"op":"all","text":"x"}x"}""", "ERROR:BAD_JSON:not valid JSON (at byte 23)")]
    [InlineData("""{"op":"room","room":"a b","text":"x"}""", "ERROR:BAD_NAME:rooms and refs are strings of 1-64 characters A-Z a-z 0-9 _ . - (written plainly)")]
    [InlineData("""{"op":"to","to":1234567890123456789,"text":"x"}""", "ERROR:BAD_FORMAT:\"to\" must be a client id: a positive integer of at most 18 digits")]
    public void Refuses_what_only_looks_like_the_plain_message_forms(string json, string error) =>
        AssertRefused(json, error);

    [Theory]
    [InlineData("""{"op":"to","ref":"r5","to":0,"text":"x"}""", "ERROR:NOT_DELIVERED:r5:BAD_FORMAT:\"to\" must be a client id: a positive integer of at most 18 digits")]
    [InlineData("""{"ref":"r5","op":"to","to":3,"text":1}""", "ERROR:NOT_DELIVERED:r5:BAD_FORMAT:\"text\" must be a string")]
    [InlineData("""{"op":"to","ref":"r5","to":3,"text":"a\nb"}""", "ERROR:NOT_DELIVERED:r5:BAD_FORMAT:\"text\" cannot hold a line break (CR or LF): a text client could not receive it; send one message per line")]
    [InlineData("""{"op":"to","ref":"r5","to":3,"text":"\ud800"}""", "ERROR:NOT_DELIVERED:r5:BAD_ENCODING:\"text\" holds an escape that is not a Unicode character")]
    [InlineData("""{"op":"to","ref":"r5","to":3,"text":"x","bogus":1}""", "ERROR:NOT_DELIVERED:r5:BAD_FORMAT:unknown field \"bogus\"")]
    [InlineData("""{"op":"to","ref":"r5","to":3,"text":"x",}""", "ERROR:NOT_DELIVERED:r5:BAD_JSON:not valid JSON (at byte 40)")]
    [InlineData("""{"op":"to","to":"x","text":"hi","ref":"r1"}""", "ERROR:NOT_DELIVERED:r1:BAD_FORMAT:\"to\" must be a client id: a positive integer of at most 18 digits")]
    [InlineData("""{"to":5,"text":"a\nb","ref":"r5","op":"to"}""", "ERROR:NOT_DELIVERED:r5:BAD_FORMAT:\"text\" cannot hold a line break (CR or LF): a text client could not receive it; send one message per line")]
    [InlineData("""{"op":"to","to":5,"bogus":{"a":[1,2]},"text":"x","ref":"r7"}""", "ERROR:NOT_DELIVERED:r7:BAD_FORMAT:unknown field \"bogus\"")]
    [InlineData("""{"op":"to","to":5,"text":5,"ref":"r6",""", "ERROR:NOT_DELIVERED:r6:BAD_FORMAT:\"text\" must be a string")]
    public void Answers_a_malformed_to_that_asked_for_a_receipt_with_NOT_DELIVERED_and_its_ref_as_TOACK_does(string json, string error) =>
        AssertRefused(json, error);

    [Theory]
    [InlineData("""{"op":"ping","ref":"p1","bogus":1}""")]
    [InlineData("""{"op":"ping","ref":"p1","ref":"p2"}""")]
    [InlineData("""{"op":"join","ref":"p1","room":"a b"}""")]
    [InlineData("""{"op":"to","ref":"p1","to":0,"text":"hi"}""")]
    [InlineData("""{"op":"to","ref":"p1","to":3,"text":"a\nb"}""")]
    [InlineData("""{"op":"to","ref":"p1","to":3,"text":"\ud800"}""")]
    [InlineData("""{"op":"watch","ref":"p1","on":"yes"}""")]
    [InlineData("""{"op":"ping","bogus":1,"ref":"p1"}""")]
    [InlineData("""{"op":"join","room":"a b","ref":"p1"}""")]
    public void Hands_back_the_objects_ref_wherever_it_stands_so_the_error_carries_it(string json)
    {
        // docs/protocol.md: the ref "is echoed on every reply to that object: its ok, error, list
        // page or pong"; ToText's contract: the ref is empty only "if none or unreadable".
        var (translated, _, reference) = ToText(json);

        Assert.False(translated);
        Assert.Equal("p1", reference);
    }

    [Theory]
    [InlineData("""{"op":"nope","ref":"p1"}""")]
    [InlineData("""{"op":"ping","ref":"p1","room":"dev"}""")]
    [InlineData("""{"op":"to","ref":"p1","text":"hi"}""")]
    public void Hands_back_the_ref_of_an_object_refused_once_read_whole(string json)
    {
        var (translated, _, reference) = ToText(json);

        Assert.False(translated);
        Assert.Equal("p1", reference);
    }

    [Theory]
    [InlineData("""{"op":"nope"}""")]
    [InlineData("""{"op":"ping","ref":"bad name"}""")]
    [InlineData("""not json""")]
    public void Hands_back_no_ref_when_the_object_has_none_it_could_read(string json) =>
        Assert.Equal("", ToText(json).Reference);
}
