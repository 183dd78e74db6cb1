using System.Text;

namespace Relay.Protocol.Tests.Fuzzing;

/// <summary>
/// Objects that are JSON, or nearly, with the protocol's field names and values of every type in
/// every place: what a buggy client (or server) program writes.
/// </summary>
public static class JsonNoise
{
    private static readonly string[] ClientFields = ["op", "to", "text", "room", "ref", "after", "on", "bogus", "Op", "t\\u0065xt", "\\ud800", ""];

    private static readonly string[] ServerFields =
        ["op", "ref", "id", "from", "total", "text", "room", "command", "arg", "code", "cause", "on", "more", "ids", "rooms", "members"];

    private static readonly string[] Ops =
    [
        "to", "all", "room", "join", "leave", "rooms", "members", "who", "watch", "ping", "quit", "hello",
        "from", "ok", "joined", "left", "delivered", "error", "pong", "reconnect", "line", "nope", "", "TO",
    ];

    private static readonly string[] Scalars =
    [
        "null", "true", "false", "0", "-0", "1", "-1", "7", "2.5", "1e2", "1e400", "-1e400", "999999999999999999",
        "1000000000000000000", "9223372036854775807", "9223372036854775808", "99999999999999999999999",
        "\"\"", "\"x\"", "\"lobby\"", "\"a1\"", "\"7\"", "\"\\ud800\"", "\"\\udc00\\ud800\"", "\"a\\nb\"", "\"a\\rb\"", "\"\\u0000\"",
        "\"\\\"\"", "\"é😀\"", "\"ON\"", "\"UNKNOWN_TARGET\"", "\"NOT_DELIVERED\"", "\"" + new string('n', 65) + "\"",
    ];

    /// <summary>A client object: its fields and values drawn from what the codec knows and what it must refuse.</summary>
    public static byte[] ClientObject(Gen g) => Object(g, ClientFields);

    /// <summary>A server object, as the client library reads them.</summary>
    public static byte[] ServerObject(Gen g) => Object(g, ServerFields);

    private static byte[] Object(Gen g, string[] fieldNames)
    {
        // Half the objects have values of the right type in most fields: a deserializer stops at
        // the first wrong one, and what comes after it is only reached when the others are right.
        var typed = g.Bool();
        var json = new StringBuilder("{");
        var fields = g.Between(0, 6);
        for (var i = 0; i < fields; i++)
        {
            if (i > 0)
                json.Append(',');
            // Most objects say what they are first, so that the fields after reach the code of their op.
            var name = i == 0 && !g.OneIn(4) ? "op" : g.OneIn(10) ? AnyText(g) : g.Pick(fieldNames);
            json.Append('"').Append(name).Append("\":").Append(typed && !g.OneIn(6) ? Typed(g, name) : Value(g, 0));
        }

        return Encoding.UTF8.GetBytes(json.Append('}').ToString());
    }

    /// <summary>A value of the type the field has, null now and then where a reference type allows it.</summary>
    private static string Typed(Gen g, string field) => field switch
    {
        "op" => $"\"{(g.OneIn(10) ? AnyText(g) : g.Pick(Ops))}\"",
        "to" or "id" or "from" or "total" or "members" => Commands.Id(g).ToString(System.Globalization.CultureInfo.InvariantCulture),
        "after" => g.Bool() ? Commands.Id(g).ToString(System.Globalization.CultureInfo.InvariantCulture) : Name(g),
        "on" or "more" => g.Bool() ? "true" : "false",
        "room" or "ref" or "code" or "cause" or "command" => g.OneIn(10) ? "null" : Name(g),
        "ids" => "[" + string.Join(',', Enumerable.Range(0, g.Below(5)).Select(_ => g.OneIn(10) ? "null" : Commands.Id(g).ToString(System.Globalization.CultureInfo.InvariantCulture))) + "]",
        "rooms" => "[" + string.Join(',', Enumerable.Range(0, g.Below(4)).Select(_ => g.OneIn(10) ? "null" : $"{{\"room\":{Name(g)},\"members\":{g.Below(100)}}}")) + "]",
        _ => g.OneIn(10) ? "null" : Text.JsonString(g, Encoding.UTF8.GetString(Text.Utf8(g, allowCarriageReturn: true))),
    };

    /// <summary>A name no one would choose: any length, any character, escaped or not (a string's inside, without quotes).</summary>
    private static string AnyText(Gen g) => Text.JsonString(g, Encoding.UTF8.GetString(Text.Utf8(g, allowCarriageReturn: true)))[1..^1];

    private static string Name(Gen g) => $"\"{Encoding.ASCII.GetString(Commands.Name(g))}\"";

    private static string Value(Gen g, int depth) => g.Below(depth > 3 ? 1 : 8) switch
    {
        0 or 1 or 2 or 3 => g.Pick(Scalars),
        4 => Text.JsonString(g, Encoding.UTF8.GetString(Text.Utf8(g, allowCarriageReturn: true))),
        5 => "[" + string.Join(',', Enumerable.Range(0, g.Below(4)).Select(_ => Value(g, depth + 1))) + "]",
        6 => "[" + string.Join(',', Enumerable.Range(0, g.Below(4)).Select(_ => g.Pick(["1", "7", "null", "-1", "1.5", "\"x\""]))) + "]",
        _ => "{" + string.Join(',', Enumerable.Range(0, g.Below(3)).Select(_ => $"\"{g.Pick(["room", "members", "x"])}\":{Value(g, depth + 1)}")) + "}",
    };
}
