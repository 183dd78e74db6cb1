namespace Relay.Protocol;

/// <summary>
/// How many items of a list page fit in a reply budget (a UDP datagram may be answered with at
/// most so many bytes), counted exactly as <see cref="ServerLines"/> and the JSON form write them.
/// </summary>
public static class PageFit
{
    /// <summary>
    /// The ids of a <c>WHO</c> (<paramref name="roomBytes"/> 0) or <c>MEMBERS</c> page that fit in
    /// <paramref name="budget"/> bytes, in the text form or, if <paramref name="json"/>, the JSON form
    /// carrying a ref of <paramref name="refBytes"/>.
    /// </summary>
    public static int Ids(int budget, bool json, int roomBytes, long total, ReadOnlySpan<long> ids, int refBytes)
    {
        // {"op":"who" or {"op":"members","room":"<room>" (its closing quote too); "WHO:" or "MEMBERS:<room>:".
        var used = json
            ? (roomBytes == 0 ? 11 : 24 + roomBytes + 1) + 9 + Digits(total) + 8 + 1 + 13 + Ref(refBytes) + 2
            : (roomBytes == 0 ? 4 : 8 + roomBytes + 1) + Digits(total) + 1 + 5 + 1;
        var count = 0;
        foreach (var id in ids)
        {
            // A comma before every id but the first.
            used += Digits(id) + (count > 0 ? 1 : 0);
            if (used > budget)
                break;
            count++;
        }

        return count;
    }

    /// <summary>The rooms of a <c>ROOMS</c> page that fit in <paramref name="budget"/> bytes (see <see cref="Ids"/>).</summary>
    public static int Rooms(int budget, bool json, IReadOnlyList<(string Room, long Members)> rooms, int refBytes)
    {
        var used = json ? 23 + 14 + Ref(refBytes) + 2 : 6 + 5 + 1;
        var count = 0;
        foreach (var (room, members) in rooms)
        {
            // Room names are ASCII by rule: one char, one byte. {"room":"…","members":n} or …=n,
            // with a comma before every room but the first.
            used += (json ? 22 : 1) + room.Length + Digits(members) + (count > 0 ? 1 : 0);
            if (used > budget)
                break;
            count++;
        }

        return count;
    }

    private static int Ref(int refBytes) => refBytes == 0 ? 0 : 9 + refBytes;

    private static int Digits(long value) => LineOutput.DigitCount(Math.Max(0, value));
}
