using System.Buffers;
using System.Text.Json;

namespace Relay.Protocol.Json;

/// <summary>
/// The JSON form of server lines. A node produces every line as text (the one form that crosses
/// the cluster) and a JSON client's session translates each into its object on the way out:
/// <c>FROM:1:hi</c> is <c>{"op":"from","from":1,"text":"hi"}</c>. The client library translates back.
/// </summary>
public static class JsonServerLines
{
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 4 };

    /// <summary>
    /// Writes the JSON object (with its terminator) for one text server line (terminator removed).
    /// <paramref name="reference"/> is the <c>ref</c> of the command the line answers, if any; a line
    /// that carries its own (<c>DELIVERED</c>, <c>NOT_DELIVERED</c>) uses that.
    /// </summary>
    public static void ToJson(ReadOnlySpan<byte> line, ReadOnlySpan<byte> reference, IBufferWriter<byte> output)
    {
        var parsed = ServerLine.Parse(line);
        if (parsed.Kind is ServerLineKind.From or ServerLineKind.Broadcast && reference.IsEmpty
            && JsonOutput.TryPlainMessage(output, parsed.Kind == ServerLineKind.From ? JsonWire.FromOp : JsonWire.AllOp, parsed.Id, parsed.Text))
            return;

        JsonOutput json;
        switch (parsed.Kind)
        {
            case ServerLineKind.YourId:
                json = JsonOutput.Start(output, JsonWire.HelloOp);
                json.Number(JsonWire.Id, parsed.Id);
                break;
            case ServerLineKind.From:
                json = JsonOutput.Start(output, JsonWire.FromOp);
                json.Number(JsonWire.From, parsed.Id);
                json.String(JsonWire.Text, parsed.Text);
                break;
            case ServerLineKind.Broadcast:
                json = JsonOutput.Start(output, JsonWire.AllOp);
                json.Number(JsonWire.From, parsed.Id);
                json.String(JsonWire.Text, parsed.Text);
                break;
            case ServerLineKind.Room:
                json = JsonOutput.Start(output, JsonWire.RoomOp);
                json.String(JsonWire.Room, parsed.Name);
                json.Number(JsonWire.From, parsed.Id);
                json.String(JsonWire.Text, parsed.Text);
                break;
            case ServerLineKind.Ok:
                json = Ok(output, parsed.Name, parsed.Text);
                break;
            case ServerLineKind.Joined:
            case ServerLineKind.Left:
                json = JsonOutput.Start(output, parsed.Kind == ServerLineKind.Joined ? JsonWire.JoinedOp : JsonWire.LeftOp);
                json.Number(JsonWire.Id, parsed.Id);
                break;
            case ServerLineKind.Delivered:
                json = JsonOutput.Start(output, JsonWire.DeliveredOp);
                reference = parsed.Name;
                break;
            case ServerLineKind.Who:
            case ServerLineKind.Members:
                json = JsonOutput.Start(output, parsed.Kind == ServerLineKind.Who ? JsonWire.WhoOp : JsonWire.MembersOp);
                if (parsed.Kind == ServerLineKind.Members)
                    json.String(JsonWire.Room, parsed.Name);
                json.Number(JsonWire.Total, parsed.Id);
                json.Name(JsonWire.Ids);
                // The ids are digits and commas already: a JSON array of numbers as they stand.
                output.WriteByte((byte)'[');
                output.Write(parsed.Text);
                output.WriteByte((byte)']');
                json.Bool(JsonWire.More, parsed.More);
                break;
            case ServerLineKind.Rooms:
                json = JsonOutput.Start(output, JsonWire.RoomsOp);
                json.Name(JsonWire.Rooms);
                RoomList(output, parsed.Text);
                json.Bool(JsonWire.More, parsed.More);
                break;
            case ServerLineKind.Error:
                json = Error(output, parsed.Name, parsed.Text, ref reference);
                break;
            case ServerLineKind.Pong:
                json = JsonOutput.Start(output, JsonWire.PongOp);
                break;
            case ServerLineKind.Reconnect:
                json = JsonOutput.Start(output, JsonWire.ReconnectOp);
                json.String(JsonWire.Text, parsed.Text);
                break;
            default:
                json = JsonOutput.Start(output, JsonWire.LineOp);
                json.String(JsonWire.Text, line);
                break;
        }

        if (!reference.IsEmpty)
            json.String(JsonWire.Ref, reference);
        json.End();
    }

    /// <summary>
    /// Translates one JSON server object (terminator removed) back into its text line (no
    /// terminator), for clients that handle text lines; the object's <c>ref</c>, if any, comes out in
    /// <paramref name="reference"/>. False, writing nothing, for a line that is not such an object.
    /// </summary>
    /// <remarks>
    /// The client side reads one object per line it receives, so it deserializes a typed record
    /// (with a source-generated, reflection-free serializer) rather than walking tokens.
    /// </remarks>
    public static bool ToText(ReadOnlySpan<byte> json, IBufferWriter<byte> output, out string? reference)
    {
        reference = null;
        ServerObject? server;
        try
        {
            server = JsonSerializer.Deserialize(json, JsonProtocolContext.Default.ServerObject);
        }
        catch (JsonException)
        {
            return false;
        }

        if (server?.TextLine() is not { } line)
            return false;
        reference = server.Ref;
        output.Write(System.Text.Encoding.UTF8.GetBytes(line));
        return true;
    }

    private static JsonOutput Ok(IBufferWriter<byte> output, ReadOnlySpan<byte> command, ReadOnlySpan<byte> argument)
    {
        var json = JsonOutput.Start(output, JsonWire.OkOp);
        Span<byte> lower = stackalloc byte[Math.Min(command.Length, 32)];
        System.Text.Ascii.ToLower(command[..lower.Length], lower, out _);
        json.String(JsonWire.Command, lower);
        if (command.SequenceEqual(Wire.Watch[..^1]))
            json.Bool(JsonWire.On, argument.SequenceEqual(Wire.On));
        else if (command.SequenceEqual(Wire.Join[..^1]) || command.SequenceEqual(Wire.Leave[..^1]))
            json.String(JsonWire.Room, argument);
        else
            json.String(JsonWire.Arg, argument);
        return json;
    }

    // ERROR:<CODE>:<text>, and ERROR:NOT_DELIVERED:<ref>:<CAUSE>:<text>.
    private static JsonOutput Error(IBufferWriter<byte> output, ReadOnlySpan<byte> code, ReadOnlySpan<byte> text, ref ReadOnlySpan<byte> reference)
    {
        var json = JsonOutput.Start(output, JsonWire.ErrorOp);
        json.String(JsonWire.Code, code);
        if (code.SequenceEqual(Wire.CodeOf(ErrorCode.NotDelivered)))
        {
            var colon = text.IndexOf(Wire.Colon);
            var second = colon < 0 ? -1 : text[(colon + 1)..].IndexOf(Wire.Colon);
            if (second >= 0)
            {
                reference = text[..colon];
                json.String(JsonWire.Cause, text.Slice(colon + 1, second));
                text = text[(colon + second + 2)..];
            }
        }

        json.String(JsonWire.Text, text);
        return json;
    }

    // room=3,other=1 → [{"room":"room","members":3},…]
    private static void RoomList(IBufferWriter<byte> output, ReadOnlySpan<byte> items)
    {
        output.WriteByte((byte)'[');
        var first = true;
        foreach (var range in items.Split(Wire.Comma))
        {
            var item = items[range];
            var equals = item.LastIndexOf(Wire.EqualsSign);
            var count = item[(equals + 1)..];
            if (equals <= 0 || !System.Buffers.Text.Utf8Parser.TryParse(count, out long members, out var used) || used != count.Length || members < 0)
                continue;
            if (!first)
                output.WriteByte(Wire.Comma);
            first = false;
            output.Write("{\"room\":"u8);
            JsonOutput.Quoted(output, item[..equals]);
            output.Write(",\"members\":"u8);
            output.WriteNumber(members);
            output.WriteByte((byte)'}');
        }

        output.WriteByte((byte)']');
    }
}
