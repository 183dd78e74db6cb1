using System.Buffers;
using System.Text.Json;
using System.Text.Unicode;

namespace Relay.Protocol.Json;

/// <summary>
/// The JSON form of client commands. Each object is translated to the text line it stands for
/// (<c>{"op":"to","to":2,"text":"hi"}</c> is <c>TO:2:hi</c>), so that one parser and one session
/// serve both protocols; the client library translates the other way.
/// </summary>
/// <remarks>
/// Parsing uses <see cref="Utf8JsonReader"/> over the received bytes: no reflection, no object per
/// message, and the only copy is the message text written into the translated line (unescaped).
/// Objects are checked strictly, so a program's mistake is named: every field is known, belongs
/// to its op, appears once and has its type; names (rooms, refs) are written plainly.
/// </remarks>
public static partial class JsonCommands
{
    // A positive id fits in 18 decimal digits, the text protocol's limit.
    private const long MaxId = 999_999_999_999_999_999;

    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 4 };

    /// <summary>
    /// Translates one JSON line (terminator removed). True: <paramref name="output"/> holds the text
    /// command line (no terminator). False: it holds the content of an <c>ERROR:&lt;CODE&gt;:&lt;text&gt;</c>
    /// line (no terminator) saying what is wrong. <paramref name="reference"/> is the object's
    /// <c>ref</c> (empty if none or unreadable), to echo on its replies. Never throws.
    /// </summary>
    public static bool ToText(ReadOnlySpan<byte> json, IBufferWriter<byte> output, out ReadOnlySpan<byte> reference)
    {
        reference = default;
        if (TryPlainMessage(json, output))
            return true;

        var fields = default(Fields);
        var read = Read(json, output, ref fields);
        // A ref read before the mistake goes on the error too, so the client can tell which object it was.
        reference = fields.Ref;
        return read && Translate(ref fields, output);
    }

    private static bool Read(ReadOnlySpan<byte> json, IBufferWriter<byte> output, ref Fields fields)
    {
        if (!Utf8.IsValid(json))
            return Fail(output, in fields, ErrorCode.BadEncoding, "the line is not valid UTF-8"u8);

        var reader = new Utf8JsonReader(json, ReaderOptions);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                return Fail(output, in fields, ErrorCode.BadJson, "expected one JSON object per line, like {\"op\":\"ping\"}"u8);

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var field = FieldOf(ref reader);
                if (field == Field.Unknown || (fields.Seen & field) != 0)
                {
                    var name = reader.ValueSpan;
                    LookAheadForReceipt(reader, ref fields);
                    return FailField(output, in fields, field == Field.Unknown ? "unknown field "u8 : "field given twice: "u8, name);
                }

                fields.Seen |= field;
                reader.Read();
                if (fields.Take(field, ref reader) is var problem and not Problem.None)
                {
                    LookAheadForReceipt(reader, ref fields);
                    return Fail(output, in fields, problem == Problem.BadName ? ErrorCode.BadName : ErrorCode.BadFormat, RuleOf(field, problem));
                }
            }

            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
                return Fail(output, in fields, ErrorCode.BadJson, "expected one JSON object per line, like {\"op\":\"ping\"}"u8);
            return true;
        }
        catch (JsonException)
        {
            StartError(output, in fields, ErrorCode.BadJson);
            output.Write("not valid JSON (at byte "u8);
            output.WriteNumber(reader.BytesConsumed);
            output.WriteByte((byte)')');
            return false;
        }
        catch (InvalidOperationException)
        {
            // An escape that is not a Unicode character (an unpaired surrogate, \ud800).
            // Names are refused when escaped and field names are matched safely, so only a text gets here.
            return Fail(output, in fields, ErrorCode.BadEncoding, "\"text\" holds an escape that is not a Unicode character"u8);
        }
    }

    /// <summary>
    /// After a mistake, reads on (a copy of the reader) for an <c>op</c> and <c>ref</c> not seen yet, so that a
    /// <c>to</c> that asked for a receipt is answered <c>NOT_DELIVERED</c> with its ref wherever the ref stands.
    /// </summary>
    private static void LookAheadForReceipt(Utf8JsonReader reader, ref Fields fields)
    {
        try
        {
            if (reader.TokenType == JsonTokenType.PropertyName)
                reader.Read();
            reader.Skip();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isOp = (fields.Seen & Field.Op) == 0 && !reader.ValueIsEscaped && reader.ValueSpan.SequenceEqual(JsonWire.Op);
                var isRef = (fields.Seen & Field.Ref) == 0 && !reader.ValueIsEscaped && reader.ValueSpan.SequenceEqual(JsonWire.Ref);
                reader.Read();
                if ((isOp || isRef) && reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped)
                {
                    if (isOp)
                        fields.Op = reader.ValueSpan;
                    else if (Names.IsValid(reader.ValueSpan))
                        fields.Ref = reader.ValueSpan;
                }

                reader.Skip();
            }
        }
        catch (JsonException)
        {
            // The rest is not JSON: what was read so far is all there is.
        }
    }

    /// <summary>
    /// The forms most of a JSON client's lines take, exactly as this codec writes them:
    /// <c>{"op":"to","to":7,"text":"…"}</c>, <c>{"op":"all","text":"…"}</c>, <c>{"op":"room","room":"dev","text":"…"}</c>,
    /// with nothing escaped in the text. They are translated by matching bytes, at the cost of the
    /// text protocol; anything else (other fields, spacing, escapes) goes to the full reader.
    /// </summary>
    private static bool TryPlainMessage(ReadOnlySpan<byte> json, IBufferWriter<byte> output)
    {
        ReadOnlySpan<byte> text;
        ReadOnlySpan<byte> to = "{\"op\":\"to\",\"to\":"u8, all = "{\"op\":\"all\""u8, room = "{\"op\":\"room\",\"room\":\""u8;
        if (json.StartsWith(to))
        {
            var rest = json[to.Length..];
            var digits = rest.IndexOfAnyExceptInRange((byte)'0', (byte)'9');
            if (digits is < 1 or > 18 || rest[0] == (byte)'0' || !TryPlainText(rest[digits..], out text))
                return false;
            output.Write(Wire.To);
            output.Write(rest[..digits]);
            output.WriteByte(Wire.Colon);
        }
        else if (json.StartsWith(all) && TryPlainText(json[all.Length..], out text))
        {
            output.Write(Wire.All);
        }
        else if (json.StartsWith(room))
        {
            var rest = json[room.Length..];
            var end = rest.IndexOf((byte)'"');
            if (end < 0 || !Names.IsValid(rest[..end]) || !TryPlainText(rest[(end + 1)..], out text))
                return false;
            output.Write(Wire.Room);
            output.Write(rest[..end]);
            output.WriteByte(Wire.Colon);
        }
        else
        {
            return false;
        }

        output.Write(text);
        return true;
    }

    /// <summary><c>,"text":"…"}</c> to the end of the line, the text valid UTF-8 with nothing to unescape.</summary>
    private static bool TryPlainText(ReadOnlySpan<byte> rest, out ReadOnlySpan<byte> text)
    {
        text = default;
        if (!rest.StartsWith(",\"text\":\""u8) || !rest.EndsWith("\"}"u8) || rest.Length < 11)
            return false;
        text = rest[9..^2];
        return !JsonOutput.NeedsEscaping(text) && Utf8.IsValid(text);
    }

    /// <summary>
    /// Writes the JSON object (with its terminator) for a text command line, with
    /// <paramref name="reference"/> as its <c>ref</c> when given (a <c>TOACK</c>'s own ref wins).
    /// False, writing nothing, for a line the text parser refuses.
    /// </summary>
    public static bool FromText(ReadOnlySpan<byte> line, IBufferWriter<byte> output, ReadOnlySpan<byte> reference = default)
    {
        var command = CommandParser.Parse(line);
        JsonOutput json;
        switch (command.Kind)
        {
            case CommandKind.To:
            case CommandKind.ToAck:
                json = JsonOutput.Start(output, JsonWire.ToOp);
                json.Number(JsonWire.To, command.TargetId);
                json.String(JsonWire.Text, command.Payload);
                if (command.Kind == CommandKind.ToAck)
                    reference = command.Name;
                break;
            case CommandKind.All:
                json = JsonOutput.Start(output, JsonWire.AllOp);
                json.String(JsonWire.Text, command.Payload);
                break;
            case CommandKind.Room:
                json = JsonOutput.Start(output, JsonWire.RoomOp);
                json.String(JsonWire.Room, command.Name);
                json.String(JsonWire.Text, command.Payload);
                break;
            case CommandKind.Join:
            case CommandKind.Leave:
                json = JsonOutput.Start(output, command.Kind == CommandKind.Join ? JsonWire.JoinOp : JsonWire.LeaveOp);
                json.String(JsonWire.Room, command.Name);
                break;
            case CommandKind.Rooms:
                json = JsonOutput.Start(output, JsonWire.RoomsOp);
                if (!command.Name.IsEmpty)
                    json.String(JsonWire.After, command.Name);
                break;
            case CommandKind.Members:
                json = JsonOutput.Start(output, JsonWire.MembersOp);
                json.String(JsonWire.Room, command.Name);
                if (command.Number > 0)
                    json.Number(JsonWire.After, command.Number);
                break;
            case CommandKind.Who:
                json = JsonOutput.Start(output, JsonWire.WhoOp);
                if (command.Number > 0)
                    json.Number(JsonWire.After, command.Number);
                break;
            case CommandKind.Watch:
                json = JsonOutput.Start(output, JsonWire.WatchOp);
                json.Bool(JsonWire.On, command.Number == 1);
                break;
            case CommandKind.Ping:
                json = JsonOutput.Start(output, JsonWire.PingOp);
                break;
            case CommandKind.Quit:
                json = JsonOutput.Start(output, JsonWire.QuitOp);
                break;
            case CommandKind.Hello:
                json = JsonOutput.Start(output, JsonWire.HelloOp);
                break;
            default:
                return false;
        }

        if (!reference.IsEmpty)
            json.String(JsonWire.Ref, reference);
        json.End();
        return true;
    }

    private static bool Translate(ref Fields fields, IBufferWriter<byte> output)
    {
        if ((fields.Seen & Field.Op) == 0)
            return Fail(output, in fields, ErrorCode.BadFormat, "missing field \"op\": every object says what it is, like {\"op\":\"ping\"}"u8);

        var op = OpOf(fields.Op);
        if (op == CommandKind.Invalid)
            return FailField(output, in fields, "unknown op "u8, fields.Op, ErrorCode.UnknownCommand);

        var allowed = AllowedFields(op);
        if ((fields.Seen & ~allowed.All) is var extra and not 0)
            return FailField(output, in fields, "field does not belong to this op: "u8, NameOf(extra));
        if ((allowed.Required & ~fields.Seen) is var missing and not 0)
            return FailField(output, in fields, "missing field "u8, NameOf(missing));
        if (op == CommandKind.Rooms && fields.AfterNumber is not null)
            return Fail(output, in fields, ErrorCode.BadFormat, "\"after\" of rooms is the last room of the previous page, a string"u8);
        if (op is CommandKind.Who or CommandKind.Members && !fields.AfterRoom.IsEmpty)
            return Fail(output, in fields, ErrorCode.BadFormat, "\"after\" is the last id of the previous page, an integer of 0 or more"u8);

        switch (op)
        {
            case CommandKind.To when !fields.Ref.IsEmpty:
                output.Write(Wire.ToAck);
                output.Write(fields.Ref);
                output.WriteByte(Wire.Colon);
                output.WriteNumber(fields.To);
                output.WriteByte(Wire.Colon);
                return fields.WriteText(output);
            case CommandKind.To:
                output.Write(Wire.To);
                output.WriteNumber(fields.To);
                output.WriteByte(Wire.Colon);
                return fields.WriteText(output);
            case CommandKind.All:
                output.Write(Wire.All);
                return fields.WriteText(output);
            case CommandKind.Room:
                output.Write(Wire.Room);
                output.Write(fields.Room);
                output.WriteByte(Wire.Colon);
                return fields.WriteText(output);
            case CommandKind.Join:
                output.Write(Wire.Join);
                output.Write(fields.Room);
                return true;
            case CommandKind.Leave:
                output.Write(Wire.Leave);
                output.Write(fields.Room);
                return true;
            case CommandKind.Rooms:
                output.Write(Wire.Rooms);
                if (!fields.AfterRoom.IsEmpty)
                {
                    output.WriteByte(Wire.Colon);
                    output.Write(fields.AfterRoom);
                }

                return true;
            case CommandKind.Members:
                output.Write(Wire.Members);
                output.Write(fields.Room);
                if (fields.AfterNumber is { } afterMember)
                {
                    output.WriteByte(Wire.Colon);
                    output.WriteNumber(afterMember);
                }

                return true;
            case CommandKind.Who:
                output.Write(Wire.Who);
                if (fields.AfterNumber is { } afterId)
                {
                    output.WriteByte(Wire.Colon);
                    output.WriteNumber(afterId);
                }

                return true;
            case CommandKind.Watch:
                output.Write(Wire.Watch);
                output.Write(fields.On ? Wire.On : Wire.Off);
                return true;
            case CommandKind.Ping:
                output.Write(Wire.Ping);
                return true;
            case CommandKind.Quit:
                output.Write(Wire.Quit);
                return true;
            default:
                output.Write(Wire.Hello);
                return true;
        }
    }

    private static CommandKind OpOf(ReadOnlySpan<byte> op) =>
        op.SequenceEqual(JsonWire.ToOp) ? CommandKind.To
        : op.SequenceEqual(JsonWire.AllOp) ? CommandKind.All
        : op.SequenceEqual(JsonWire.RoomOp) ? CommandKind.Room
        : op.SequenceEqual(JsonWire.JoinOp) ? CommandKind.Join
        : op.SequenceEqual(JsonWire.LeaveOp) ? CommandKind.Leave
        : op.SequenceEqual(JsonWire.RoomsOp) ? CommandKind.Rooms
        : op.SequenceEqual(JsonWire.MembersOp) ? CommandKind.Members
        : op.SequenceEqual(JsonWire.WhoOp) ? CommandKind.Who
        : op.SequenceEqual(JsonWire.WatchOp) ? CommandKind.Watch
        : op.SequenceEqual(JsonWire.PingOp) ? CommandKind.Ping
        : op.SequenceEqual(JsonWire.QuitOp) ? CommandKind.Quit
        : op.SequenceEqual(JsonWire.HelloOp) ? CommandKind.Hello
        : CommandKind.Invalid;
}
