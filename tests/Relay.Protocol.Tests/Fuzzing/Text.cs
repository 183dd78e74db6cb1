using System.Text;

namespace Relay.Protocol.Tests.Fuzzing;

/// <summary>Message texts (valid UTF-8 of every width) and their JSON spellings.</summary>
public static class Text
{
    // Pieces a message is made of: the separator, controls, every UTF-8 width, the characters
    // JSON must escape, and some that are easy to get wrong (line and paragraph separators, BOM,
    // the largest BMP scalar, astral characters that are surrogate pairs in UTF-16).
    private static readonly string[] Pieces =
    [
        ":", "::", " ", "a", "Z", "0", "9", "hi", "TO:1:", "ALL:", "ERROR:", "{", "}", "\"", "\\", "/", ",", "=",
        "\0", "\u0001", "\t", "\u001f", "\u007f", "é", "ß", "\u00a0", "안녕", "\u2028", "\u2029", "\ufeff", "\ufffd", "\uffff",
        "😀", "𝄞", "\U0010FFFF",
    ];

    /// <summary>
    /// A message: valid UTF-8 with no line feed; carriage returns inside it only if allowed, and
    /// never last, where the framing would take it for half of a CRLF.
    /// </summary>
    public static byte[] Utf8(Gen g, bool allowCarriageReturn)
    {
        var text = new StringBuilder();
        var pieces = g.Length();
        for (var i = 0; i < pieces; i++)
            text.Append(allowCarriageReturn && g.OneIn(20) ? "\r" : g.Pick(Pieces));
        if (text.Length > 0 && text[^1] == '\r')
            text.Append('.');
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>Whitespace JSON allows between tokens, except the line feed that ends a line.</summary>
    public static string Space(Gen g) => g.Below(4) switch
    {
        0 => " ",
        1 => g.OneIn(2) ? "\t" : " \r ",
        _ => "",
    };

    /// <summary>A JSON string for <paramref name="value"/>: what must be escaped is, the rest at random if asked (as \uXXXX, pairs included).</summary>
    public static string JsonString(Gen g, string value, bool escapeAtRandom = true)
    {
        var json = new StringBuilder("\"");
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            var mustEscape = c < 0x20 || c == '"' || c == '\\';
            if (char.IsHighSurrogate(c) && i + 1 < value.Length)
            {
                // A pair is escaped whole or not at all: half of one would not be a character.
                json.Append(escapeAtRandom && g.OneIn(8) ? $"\\u{(int)c:x4}\\u{(int)value[i + 1]:X4}" : value.AsSpan(i, 2));
                i++;
                continue;
            }

            if (!mustEscape && !(escapeAtRandom && g.OneIn(8)))
            {
                json.Append(c);
                continue;
            }

            json.Append(c switch
            {
                '"' when g.Bool() => "\\\"",
                '\\' when g.Bool() => "\\\\",
                '\n' when g.Bool() => "\\n",
                '\r' when g.Bool() => "\\r",
                '\t' when g.Bool() => "\\t",
                '\b' when g.Bool() => "\\b",
                '\f' when g.Bool() => "\\f",
                '/' when g.Bool() => "\\/",
                _ => $"\\u{(int)c:x4}",
            });
        }

        return json.Append('"').ToString();
    }
}
