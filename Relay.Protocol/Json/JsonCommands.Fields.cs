using System.Buffers;
using System.Text.Json;

namespace Relay.Protocol.Json;

// The fields of a JSON command: which belong to which op, how each is read and checked, and the
// errors that name them.
public static partial class JsonCommands
{
    /// <summary>The fields an op may carry and those it must; <c>ref</c> is allowed on every op.</summary>
    private static (Field All, Field Required) AllowedFields(CommandKind op)
    {
        const Field always = Field.Op | Field.Ref;
        return op switch
        {
            CommandKind.To => (always | Field.To | Field.Text, Field.To | Field.Text),
            CommandKind.All => (always | Field.Text, Field.Text),
            CommandKind.Room => (always | Field.Room | Field.Text, Field.Room | Field.Text),
            CommandKind.Join or CommandKind.Leave => (always | Field.Room, Field.Room),
            CommandKind.Rooms or CommandKind.Who => (always | Field.After, Field.None),
            CommandKind.Members => (always | Field.Room | Field.After, Field.Room),
            CommandKind.Watch => (always | Field.On, Field.On),
            _ => (always, Field.None),
        };
    }

    private static Field FieldOf(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
            return KnownFieldOf(ref reader);
        try
        {
            return KnownFieldOf(ref reader);
        }
        catch (InvalidOperationException)
        {
            // A name escaping what is no character (\ud800) is no field of ours.
            return Field.Unknown;
        }
    }

    private static Field KnownFieldOf(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals(JsonWire.Op) ? Field.Op
        : reader.ValueTextEquals(JsonWire.To) ? Field.To
        : reader.ValueTextEquals(JsonWire.Text) ? Field.Text
        : reader.ValueTextEquals(JsonWire.Room) ? Field.Room
        : reader.ValueTextEquals(JsonWire.Ref) ? Field.Ref
        : reader.ValueTextEquals(JsonWire.After) ? Field.After
        : reader.ValueTextEquals(JsonWire.On) ? Field.On
        : Field.Unknown;

    private static ReadOnlySpan<byte> NameOf(Field fields) =>
        (fields & Field.Op) != 0 ? JsonWire.Op
        : (fields & Field.To) != 0 ? JsonWire.To
        : (fields & Field.Text) != 0 ? JsonWire.Text
        : (fields & Field.Room) != 0 ? JsonWire.Room
        : (fields & Field.Ref) != 0 ? JsonWire.Ref
        : (fields & Field.After) != 0 ? JsonWire.After
        : JsonWire.On;

    private static ReadOnlySpan<byte> RuleOf(Field field, Problem problem) => field switch
    {
        Field.Op => "\"op\" must be a string written plainly (no escapes), like \"to\""u8,
        Field.To => "\"to\" must be a client id: a positive integer of at most 18 digits"u8,
        Field.Text => problem == Problem.LineBreak
            ? "\"text\" cannot hold a line break (CR or LF): a text client could not receive it; send one message per line"u8
            : "\"text\" must be a string"u8,
        Field.Room or Field.Ref => "rooms and refs are strings of 1-64 characters A-Z a-z 0-9 _ . - (written plainly)"u8,
        Field.After => problem == Problem.BadName
            ? "rooms and refs are strings of 1-64 characters A-Z a-z 0-9 _ . - (written plainly)"u8
            : "\"after\" is the last id (who, members) or room (rooms) of the previous page"u8,
        _ => "\"on\" must be true or false"u8,
    };

    private static bool Fail(IBufferWriter<byte> output, in Fields fields, ErrorCode code, ReadOnlySpan<byte> detail)
    {
        StartError(output, in fields, code);
        output.Write(detail);
        return false;
    }

    private static bool FailField(IBufferWriter<byte> output, in Fields fields, ReadOnlySpan<byte> detail, ReadOnlySpan<byte> name, ErrorCode code = ErrorCode.BadFormat)
    {
        const int shownBytes = 64;
        StartError(output, in fields, code);
        output.Write(detail);
        // As written in the JSON (escapes and all), so never a line break; cut to a readable length,
        // between two characters: the line was checked to be UTF-8 and the error must stay so.
        var shown = name.Length;
        if (shown > shownBytes)
        {
            shown = shownBytes;
            while (shown > 0 && (name[shown] & 0xC0) == 0x80)
                shown--;
        }

        output.WriteByte((byte)'"');
        output.Write(name[..shown]);
        output.WriteByte((byte)'"');
        return false;
    }

    private enum Problem : byte
    {
        None,
        WrongType,
        BadName,
        LineBreak,
    }

    /// <summary>
    /// <c>ERROR:&lt;CODE&gt;:</c>; for a <c>to</c> that asked for a receipt (its op and ref read before
    /// the mistake), <c>ERROR:NOT_DELIVERED:&lt;ref&gt;:&lt;CODE&gt;:</c>, as the text protocol answers a
    /// malformed <c>TOACK</c>: a client waiting for that ref hears of it.
    /// </summary>
    private static void StartError(IBufferWriter<byte> output, in Fields fields, ErrorCode code)
    {
        output.Write(Wire.Error);
        if (!fields.Ref.IsEmpty && fields.Op.SequenceEqual(JsonWire.ToOp))
        {
            output.Write(Wire.CodeOf(ErrorCode.NotDelivered));
            output.WriteByte(Wire.Colon);
            output.Write(fields.Ref);
            output.WriteByte(Wire.Colon);
        }

        output.Write(Wire.CodeOf(code));
        output.WriteByte(Wire.Colon);
    }

    [Flags]
    private enum Field : byte
    {
        None = 0,
        Op = 1,
        To = 2,
        Text = 4,
        Room = 8,
        Ref = 16,
        After = 32,
        On = 64,
        Unknown = 128,
    }

    /// <summary>The fields read so far; spans are slices of the JSON line.</summary>
    private ref struct Fields
    {
        public Field Seen;
        public ReadOnlySpan<byte> Op;
        public long To;
        public ReadOnlySpan<byte> Room;
        public ReadOnlySpan<byte> Ref;
        public long? AfterNumber;
        public ReadOnlySpan<byte> AfterRoom;
        public bool On;
        private Utf8JsonReader _text;

        /// <summary>Reads the value of <paramref name="field"/>, or says which rule it breaks.</summary>
        public Problem Take(Field field, ref Utf8JsonReader reader)
        {
            switch (field)
            {
                case Field.Op when reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped:
                    Op = reader.ValueSpan;
                    return Problem.None;
                case Field.To when reader.TokenType == JsonTokenType.Number:
                    return reader.TryGetInt64(out To) && To is > 0 and <= MaxId ? Problem.None : Problem.WrongType;
                case Field.Text when reader.TokenType == JsonTokenType.String:
                    // Kept as a reader positioned on the value: unescaped straight into the line.
                    _text = reader;
                    return reader.ValueIsEscaped && HasLineBreak(reader) ? Problem.LineBreak : Problem.None;
                case Field.Room or Field.Ref:
                    if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped || !Names.IsValid(reader.ValueSpan))
                        return Problem.BadName;
                    if (field == Field.Room)
                        Room = reader.ValueSpan;
                    else
                        Ref = reader.ValueSpan;
                    return Problem.None;
                case Field.After when reader.TokenType == JsonTokenType.Number:
                    if (!reader.TryGetInt64(out var after) || after is < 0 or > MaxId)
                        return Problem.WrongType;
                    AfterNumber = after;
                    return Problem.None;
                case Field.After when reader.TokenType == JsonTokenType.String:
                    if (reader.ValueIsEscaped || !Names.IsValid(reader.ValueSpan))
                        return Problem.BadName;
                    AfterRoom = reader.ValueSpan;
                    return Problem.None;
                case Field.On when reader.TokenType is JsonTokenType.True or JsonTokenType.False:
                    On = reader.TokenType == JsonTokenType.True;
                    return Problem.None;
                default:
                    // A wrong type; an object or array value is refused before it is read.
                    return Problem.WrongType;
            }
        }

        /// <summary>Writes the message, unescaped; it was checked to be a string with no line break.</summary>
        public readonly bool WriteText(IBufferWriter<byte> output)
        {
            var text = _text;
            var length = text.ValueSpan.Length;
            if (!text.ValueIsEscaped)
            {
                output.Write(text.ValueSpan);
                return true;
            }

            var written = text.CopyString(output.GetSpan(length));
            output.Advance(written);
            return true;
        }

        /// <summary>Unescapes into scratch space to look for CR and LF (only messages that use escapes pay this).</summary>
        private static bool HasLineBreak(Utf8JsonReader text)
        {
            var length = text.ValueSpan.Length;
            var rented = length > 512 ? ArrayPool<byte>.Shared.Rent(length) : null;
            try
            {
                var scratch = rented ?? stackalloc byte[512];
                var written = text.CopyString(scratch);
                return scratch[..written].IndexOfAny(Wire.LineFeed, Wire.CarriageReturn) >= 0;
            }
            finally
            {
                if (rented is not null)
                    ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
