namespace Relay.Protocol;

/// <summary>
/// Room names and receipt references: 1 to <see cref="MaxLength"/> ASCII letters, digits, <c>_</c>,
/// <c>.</c> or <c>-</c>, case-sensitive. The alphabet leaves <c>:</c>, <c>,</c> and <c>=</c> free as
/// separators in list replies, and keeps names printable everywhere.
/// </summary>
public static class Names
{
    /// <summary>Longest name.</summary>
    public const int MaxLength = 64;

    /// <summary>True when <paramref name="name"/> is a valid room name or reference.</summary>
    public static bool IsValid(ReadOnlySpan<byte> name)
    {
        if (name.IsEmpty || name.Length > MaxLength)
            return false;

        foreach (var b in name)
        {
            if (!IsNameByte(b))
                return false;
        }

        return true;
    }

    /// <summary>The rule, for error texts and docs.</summary>
    public static ReadOnlySpan<byte> Rule => "1-64 characters of A-Z a-z 0-9 _ . -"u8;

    private static bool IsNameByte(byte b) =>
        (uint)(b - 'a') <= 'z' - 'a' || (uint)(b - 'A') <= 'Z' - 'A' || (uint)(b - '0') <= 9 || b is (byte)'_' or (byte)'.' or (byte)'-';
}
