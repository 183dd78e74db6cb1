using System.Buffers;

namespace Relay.Protocol.Json;

/// <summary>
/// Writes the one-line JSON objects of the protocol straight into an <see cref="IBufferWriter{T}"/>:
/// no writer object, no intermediate string. The shapes are fixed and small, so this is all the
/// JSON writing the relay needs.
/// </summary>
internal readonly struct JsonOutput
{
    // What a JSON string must escape: the quote, the backslash and the C0 controls. Everything
    // else, non-ASCII included, is written as the UTF-8 it already is.
    private static readonly SearchValues<byte> NeedsEscape = SearchValues.Create(
        [.. Enumerable.Range(0, 0x20).Select(b => (byte)b), (byte)'"', (byte)'\\']);

    private static ReadOnlySpan<byte> HexDigits => "0123456789abcdef"u8;

    private readonly IBufferWriter<byte> _output;

    private JsonOutput(IBufferWriter<byte> output) => _output = output;

    /// <summary>Starts <c>{"op":"&lt;op&gt;"</c>.</summary>
    public static JsonOutput Start(IBufferWriter<byte> output, ReadOnlySpan<byte> op)
    {
        output.Write("{\"op\":\""u8);
        output.Write(op);
        output.WriteByte((byte)'"');
        return new JsonOutput(output);
    }

    /// <summary><c>,"name":"value"</c>, the value escaped.</summary>
    public void String(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        Name(name);
        Quoted(_output, value);
    }

    /// <summary><c>,"name":123</c>.</summary>
    public void Number(ReadOnlySpan<byte> name, long value)
    {
        Name(name);
        _output.WriteNumber(value);
    }

    /// <summary><c>,"name":true</c>.</summary>
    public void Bool(ReadOnlySpan<byte> name, bool value)
    {
        Name(name);
        _output.Write(value ? "true"u8 : "false"u8);
    }

    /// <summary><c>,"name":</c>, for a value the caller writes (an array).</summary>
    public void Name(ReadOnlySpan<byte> name)
    {
        _output.Write(",\""u8);
        _output.Write(name);
        _output.Write("\":"u8);
    }

    /// <summary>Ends the object and the line.</summary>
    public void End()
    {
        _output.WriteByte((byte)'}');
        _output.WriteByte(Wire.LineFeed);
    }

    /// <summary>True when <paramref name="value"/> holds a byte a JSON string must escape (or, read back, one that was).</summary>
    public static bool NeedsEscaping(ReadOnlySpan<byte> value) => value.ContainsAny(NeedsEscape);

    /// <summary>
    /// <c>{"op":"&lt;op&gt;","from":&lt;sender&gt;,"text":"&lt;text&gt;"}</c> and the line end, in one write, when
    /// the text needs no escape (most messages); false, writing nothing, otherwise.
    /// </summary>
    public static bool TryPlainMessage(IBufferWriter<byte> output, ReadOnlySpan<byte> op, long sender, ReadOnlySpan<byte> text)
    {
        if (text.ContainsAny(NeedsEscape))
            return false;

        // {"op":"  op  ","from":  digits  ,"text":"  text  "}\n
        var span = output.GetSpan(7 + op.Length + 9 + LineOutput.MaxNumberBytes + 9 + text.Length + 3);
        "{\"op\":\""u8.CopyTo(span);
        var length = 7;
        op.CopyTo(span[length..]);
        length += op.Length;
        "\",\"from\":"u8.CopyTo(span[length..]);
        length += 9;
        sender.TryFormat(span[length..], out var digits);
        length += digits;
        ",\"text\":\""u8.CopyTo(span[length..]);
        length += 9;
        text.CopyTo(span[length..]);
        length += text.Length;
        "\"}\n"u8.CopyTo(span[length..]);
        output.Advance(length + 3);
        return true;
    }

    /// <summary>A JSON string: quotes around the escaped bytes (valid UTF-8).</summary>
    public static void Quoted(IBufferWriter<byte> output, ReadOnlySpan<byte> value)
    {
        output.WriteByte((byte)'"');
        while (!value.IsEmpty)
        {
            var next = value.IndexOfAny(NeedsEscape);
            if (next < 0)
            {
                output.Write(value);
                break;
            }

            output.Write(value[..next]);
            Escape(output, value[next]);
            value = value[(next + 1)..];
        }

        output.WriteByte((byte)'"');
    }

    private static void Escape(IBufferWriter<byte> output, byte b)
    {
        var span = output.GetSpan(6);
        span[0] = (byte)'\\';
        var length = 2;
        switch (b)
        {
            case (byte)'"':
            case (byte)'\\':
                span[1] = b;
                break;
            case (byte)'\n':
                span[1] = (byte)'n';
                break;
            case (byte)'\r':
                span[1] = (byte)'r';
                break;
            case (byte)'\t':
                span[1] = (byte)'t';
                break;
            default:
                "u00"u8.CopyTo(span[1..]);
                span[4] = HexDigits[b >> 4];
                span[5] = HexDigits[b & 0xF];
                length = 6;
                break;
        }

        output.Advance(length);
    }
}
