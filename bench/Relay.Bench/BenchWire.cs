using System.Buffers;
using System.Text.Json;
using Relay.Protocol;
using Relay.Protocol.Json;

namespace Relay.Bench;

/// <summary>
/// The messages the workloads send and read, in the text protocol or in JSON. Sending uses the
/// project's own codec (<see cref="ClientLines"/>, then <see cref="JsonCommands.FromText"/> for
/// JSON) once per template; reading a received line is per message, so it allocates nothing.
/// </summary>
internal static class BenchWire
{
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 4 };

    /// <summary>
    /// The line (with its terminator) that sends <paramref name="payload"/> to
    /// <paramref name="targetId"/>, and where the payload starts in it, so that a workload can
    /// stamp each copy. The payload must need no JSON escapes (digits and letters).
    /// </summary>
    public static byte[] MessageTemplate(bool json, long targetId, ReadOnlySpan<byte> payload, out int payloadOffset)
    {
        var text = new ArrayBufferWriter<byte>(payload.Length + 32);
        ClientLines.To(text, targetId, payload);
        var line = text.WrittenMemory.ToArray();
        if (json)
        {
            var output = new ArrayBufferWriter<byte>(payload.Length + 64);
            if (!JsonCommands.FromText(line.AsSpan(0, line.Length - 1), output))
                throw new InvalidOperationException("the codec refused a TO line");
            line = output.WrittenMemory.ToArray();
        }

        // The payload is the only run of its bytes in the line: ids and field names hold no 'x'.
        payloadOffset = line.AsSpan().LastIndexOf(payload);
        if (payloadOffset < 0)
            throw new InvalidOperationException("the payload is not verbatim in its line");
        return line;
    }

    /// <summary>A payload of <paramref name="bytes"/>: <paramref name="digits"/> zeros (for a stamp) then 'x'.</summary>
    public static byte[] Payload(int bytes, int digits)
    {
        var payload = new byte[bytes];
        payload.AsSpan(0, digits).Fill((byte)'0');
        payload.AsSpan(digits).Fill((byte)'x');
        return payload;
    }

    /// <summary>The line a client sends first to speak JSON (its answer is the JSON hello), or to open a UDP session.</summary>
    public static byte[] Hello(bool json) => json ? "{\"op\":\"hello\"}\n"u8.ToArray() : "HELLO\n"u8.ToArray();

    /// <summary>The line that ends a session (UDP has no connection to close).</summary>
    public static byte[] Quit(bool json) => json ? "{\"op\":\"quit\"}\n"u8.ToArray() : "QUIT\n"u8.ToArray();

    /// <summary>
    /// What one received line (terminator removed) is; for a message, its text. Text lines are
    /// read by <see cref="ServerLine.Parse"/>; JSON objects by a <see cref="Utf8JsonReader"/> over
    /// the line, so neither allocates. The text of a JSON message is its raw string value (the
    /// workloads' payloads hold no escapes).
    /// </summary>
    public static ReceivedKind Read(bool json, ReadOnlySpan<byte> line, out ReadOnlySpan<byte> text)
    {
        text = default;
        if (!json || line.IsEmpty || line[0] != JsonWire.OpenBrace)
        {
            // A JSON client still gets its first YOUR_ID as text.
            var parsed = ServerLine.Parse(line);
            text = parsed.Text;
            return parsed.Kind switch
            {
                ServerLineKind.From => ReceivedKind.From,
                ServerLineKind.YourId or ServerLineKind.Pong => ReceivedKind.Greeting,
                _ => ReceivedKind.Other,
            };
        }

        var op = ReadOnlySpan<byte>.Empty;
        try
        {
            var reader = new Utf8JsonReader(line, ReaderOptions);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                return ReceivedKind.Other;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isOp = reader.ValueTextEquals(JsonWire.Op);
                var isText = reader.ValueTextEquals(JsonWire.Text);
                reader.Read();
                if (isOp && reader.TokenType == JsonTokenType.String)
                    op = reader.ValueSpan;
                else if (isText && reader.TokenType == JsonTokenType.String)
                    text = reader.ValueSpan;
                else
                    reader.Skip();
            }
        }
        catch (JsonException)
        {
            return ReceivedKind.Other;
        }

        if (op.SequenceEqual(JsonWire.FromOp))
            return ReceivedKind.From;
        return op.SequenceEqual(JsonWire.HelloOp) || op.SequenceEqual(JsonWire.PongOp) ? ReceivedKind.Greeting : ReceivedKind.Other;
    }

    /// <summary>The id in a greeting line: <c>YOUR_ID:&lt;id&gt;</c> or <c>{"op":"hello","id":&lt;id&gt;}</c>; null for any other line.</summary>
    public static long? GreetingId(ReadOnlySpan<byte> line, bool jsonOnly)
    {
        if (line.IsEmpty || line[0] != JsonWire.OpenBrace)
        {
            var parsed = ServerLine.Parse(line);
            return !jsonOnly && parsed.Kind == ServerLineKind.YourId ? parsed.Id : null;
        }

        try
        {
            var reader = new Utf8JsonReader(line, ReaderOptions);
            bool hello = false;
            long? id = null;
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                return null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isOp = reader.ValueTextEquals(JsonWire.Op);
                var isId = reader.ValueTextEquals(JsonWire.Id);
                reader.Read();
                if (isOp)
                    hello = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals(JsonWire.HelloOp);
                else if (isId && reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var value))
                    id = value;
                else
                    reader.Skip();
            }

            return hello ? id : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
