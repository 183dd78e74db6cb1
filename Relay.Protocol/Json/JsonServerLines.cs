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
    public static bool ToText(ReadOnlySpan<byte> json, IBufferWriter<byte> output, out string? reference)
    {
        reference = null;
        var fields = new ServerFields();
        try
        {
            var reader = new Utf8JsonReader(json, ReaderOptions);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                return false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString()!;
                reader.Read();
                fields.Take(name, ref reader);
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return false;
        }

        reference = fields.Ref;
        return fields.WriteText(output);
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
            if (equals <= 0 || !CommandParser.TryParseId(item[(equals + 1)..], out var members))
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

    /// <summary>The fields of a server object, as the client library reads them (one object per line, not a hot path).</summary>
    private sealed class ServerFields
    {
        private readonly List<long> _ids = [];
        private readonly List<(string Room, long Members)> _rooms = [];

        public string? Op { get; private set; }

        public string? Ref { get; private set; }

        private long? Id { get; set; }

        private long? From { get; set; }

        private long? Total { get; set; }

        private string? Text { get; set; }

        private string? Room { get; set; }

        private string? Command { get; set; }

        private string? Arg { get; set; }

        private string? Code { get; set; }

        private string? Cause { get; set; }

        private bool? On { get; set; }

        private bool More { get; set; }

        public void Take(string name, ref Utf8JsonReader reader)
        {
            switch (name)
            {
                case "op": Op = reader.GetString(); break;
                case "ref": Ref = reader.GetString(); break;
                case "id": Id = reader.GetInt64(); break;
                case "from": From = reader.GetInt64(); break;
                case "total": Total = reader.GetInt64(); break;
                case "text": Text = reader.GetString(); break;
                case "room": Room = reader.GetString(); break;
                case "command": Command = reader.GetString(); break;
                case "arg": Arg = reader.GetString(); break;
                case "code": Code = reader.GetString(); break;
                case "cause": Cause = reader.GetString(); break;
                case "on": On = reader.GetBoolean(); break;
                case "more": More = reader.GetBoolean(); break;
                case "ids":
                    while (reader.Read() && reader.TokenType == JsonTokenType.Number)
                        _ids.Add(reader.GetInt64());
                    break;
                case "rooms":
                    while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
                    {
                        string? room = null;
                        long members = 0;
                        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                        {
                            var field = reader.GetString();
                            reader.Read();
                            if (field == "room")
                                room = reader.GetString();
                            else if (field == "members")
                                members = reader.GetInt64();
                            else
                                reader.Skip();
                        }

                        if (room is not null)
                            _rooms.Add((room, members));
                    }

                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        public bool WriteText(IBufferWriter<byte> output)
        {
            var line = Op switch
            {
                "hello" when Id is { } id => $"YOUR_ID:{id}",
                "from" when From is { } from && Text is not null => $"FROM:{from}:{Text}",
                "all" when From is { } from && Text is not null => $"ALL:{from}:{Text}",
                "room" when From is { } from && Room is not null && Text is not null => $"ROOM:{Room}:{from}:{Text}",
                "ok" when Command is not null => $"OK:{Command.ToUpperInvariant()}:{(On is { } on ? (on ? "ON" : "OFF") : Room ?? Arg)}",
                "joined" when Id is { } id => $"JOINED:{id}",
                "left" when Id is { } id => $"LEFT:{id}",
                "delivered" when Ref is not null => $"DELIVERED:{Ref}",
                "who" when Total is { } total => $"WHO:{total}:{string.Join(',', _ids)}{(More ? ":MORE" : "")}",
                "members" when Total is { } total && Room is not null => $"MEMBERS:{Room}:{total}:{string.Join(',', _ids)}{(More ? ":MORE" : "")}",
                "rooms" => $"ROOMS:{string.Join(',', _rooms.Select(r => $"{r.Room}={r.Members}"))}{(More ? ":MORE" : "")}",
                "error" when Code is not null && Cause is not null && Ref is not null => $"ERROR:{Code}:{Ref}:{Cause}:{Text}",
                "error" when Code is not null => $"ERROR:{Code}:{Text}",
                "pong" => "PONG",
                "reconnect" => $"RECONNECT:{Text}",
                "line" when Text is not null => Text,
                _ => null,
            };
            if (line is null)
                return false;
            var bytes = System.Text.Encoding.UTF8.GetBytes(line);
            output.Write(bytes);
            return true;
        }
    }
}
