namespace Relay.Bench;

/// <summary>
/// Says what each line one connection receives is. One per connection: a peer's message spans
/// several lines (a header, then its payload), so a reader may remember where it is in one.
/// </summary>
internal interface ILineReader
{
    /// <summary>
    /// What <paramref name="line"/> (terminator removed) is; for <see cref="ReceivedKind.From"/> its
    /// payload, for <see cref="ReceivedKind.Other"/> what to show. <paramref name="text"/> is a
    /// slice of <paramref name="line"/>: valid only during the call.
    /// </summary>
    ReceivedKind Read(ReadOnlySpan<byte> line, out ReadOnlySpan<byte> text);
}
