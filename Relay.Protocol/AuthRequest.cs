using System.Text.Json;
using Relay.Protocol.Json;

namespace Relay.Protocol;

/// <summary>
/// The line a client sends first when the node requires authentication: <c>AUTH:&lt;token&gt;</c>,
/// or for a JSON client <c>{"op":"auth","token":"&lt;token&gt;"}</c>. Pure parsing; the node compares
/// the token (<c>ClientAuthentication</c>).
/// </summary>
public static class AuthRequest
{
    /// <summary>Longest token accepted; a longer one cannot be a configured token.</summary>
    public const int MaxTokenBytes = 256;

    /// <summary>The text form's prefix.</summary>
    public static ReadOnlySpan<byte> Prefix => "AUTH:"u8;

    /// <summary>The JSON op.</summary>
    public static ReadOnlySpan<byte> Op => "auth"u8;

    /// <summary>The JSON field that carries the token.</summary>
    public static ReadOnlySpan<byte> TokenField => "token"u8;

    /// <summary>
    /// The token <paramref name="line"/> presents, or null when it is no well-formed auth request
    /// (another command, an empty or oversized token, a JSON object with other fields).
    /// </summary>
    public static byte[]? TokenOf(ReadOnlySpan<byte> line, bool json) => json ? FromJson(line) : FromText(line);

    private static byte[]? FromText(ReadOnlySpan<byte> line)
    {
        if (line.Length <= Prefix.Length || !System.Text.Ascii.EqualsIgnoreCase(line[..Prefix.Length], Prefix))
            return null;
        var token = line[Prefix.Length..];
        return token.Length <= MaxTokenBytes ? token.ToArray() : null;
    }

    private static byte[]? FromJson(ReadOnlySpan<byte> line)
    {
        var reader = new Utf8JsonReader(line, new JsonReaderOptions { MaxDepth = 2 });
        bool op = false;
        byte[]? token = null;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                return null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isOp = reader.ValueTextEquals(JsonWire.Op);
                var isToken = reader.ValueTextEquals(TokenField);
                var isRef = reader.ValueTextEquals(JsonWire.Ref);
                if (!reader.Read() || reader.TokenType != JsonTokenType.String)
                    return null;
                if (isOp && !op && reader.ValueTextEquals(Op))
                    op = true;
                else if (isToken && token is null)
                    token = ValueOf(ref reader);
                else if (!isRef)
                    return null;
            }

            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
                return null;
        }
        catch (JsonException)
        {
            return null;
        }

        return op && token is { Length: > 0 and <= MaxTokenBytes } ? token : null;
    }

    private static byte[] ValueOf(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
            return reader.ValueSpan.ToArray();
        var length = reader.ValueSpan.Length;
        var unescaped = new byte[length];
        var written = reader.CopyString(unescaped);
        return unescaped[..written];
    }
}
