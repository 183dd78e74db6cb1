using System.Buffers.Text;

namespace Relay.Bench;

/// <summary>
/// Reads what a Redis connection receives, one line at a time (as the line framer cuts it), for
/// <see cref="RedisWire"/>: a delivery is a RESP3 push <c>&gt;3 $7 message $n &lt;channel&gt; $n
/// &lt;payload&gt;</c>, and its payload line is <see cref="ReceivedKind.From"/>; the top-level
/// <c>+PONG</c> is the <see cref="ReceivedKind.Greeting"/> that ends a handshake; an error, or a
/// <c>PUBLISH</c> that reached no subscriber (<c>:0</c>), is <see cref="ReceivedKind.Other"/>; every
/// other line (headers, the <c>HELLO</c> map, subscribe confirmations, publish counts) is
/// <see cref="ReceivedKind.Control"/>.
/// </summary>
/// <remarks>
/// It follows aggregates (arrays, maps, sets, pushes) to any depth up to <see cref="MaxDepth"/>
/// and knows when the next line is a bulk string's content, so a payload is never taken for a
/// type line whatever its first byte. Bulk strings must hold no line end (see
/// <see cref="PeerWire"/>): one that does arrives cut, its length does not match, and it is
/// reported as <see cref="ReceivedKind.Other"/>.
/// </remarks>
internal sealed class RespReader : ILineReader
{
    private const int MaxDepth = 8;

    // Elements still to come in each open aggregate, outermost first.
    private readonly int[] _remaining = new int[MaxDepth];
    private int _depth;
    // The length of the bulk string whose content is the next line; -1: the next line is a type line.
    private int _bulkLength = -1;
    // That bulk string is a blob error (!): an error once its content has come.
    private bool _bulkError;
    // The outermost open aggregate: whether it is a push, which element comes next, and whether
    // its first element said "message".
    private bool _push;
    private int _index;
    private bool _message;

    public ReceivedKind Read(ReadOnlySpan<byte> line, out ReadOnlySpan<byte> text)
    {
        text = line;
        if (_bulkLength >= 0)
        {
            var expected = _bulkLength;
            _bulkLength = -1;
            if (line.Length != expected)
            {
                // The content was cut at a line end inside it: what follows is out of step.
                Reset();
                return ReceivedKind.Other;
            }

            var kind = Value(line, bulk: true);
            return _bulkError ? ReceivedKind.Other : kind;
        }

        if (line.IsEmpty)
            return ReceivedKind.Other;

        switch (line[0])
        {
            case (byte)'$' or (byte)'=' or (byte)'!':
                // A bulk string, a verbatim string or a blob error: its length, then its content.
                if (!TryLength(line, out var length))
                    return ReceivedKind.Other;
                if (length < 0)
                    return Value(default, bulk: false);   // a null bulk string
                (_bulkLength, _bulkError) = (length, line[0] == '!');
                return ReceivedKind.Control;
            case (byte)'*' or (byte)'>' or (byte)'~' or (byte)'%':
                if (!TryLength(line, out var count))
                    return ReceivedKind.Other;
                if (line[0] == '%')
                    count *= 2;   // a map's entries are key, value
                if (count <= 0)
                    return Value(default, bulk: false);   // empty or null: complete already
                if (_depth == MaxDepth)
                {
                    Reset();
                    return ReceivedKind.Other;
                }

                if (_depth == 0)
                    (_push, _index, _message) = (line[0] == '>', 0, false);
                _remaining[_depth++] = count;
                return ReceivedKind.Control;
            case (byte)'-':
                // An error reply; inside an aggregate it is one of its elements.
                Value(line, bulk: false);
                return ReceivedKind.Other;
            case (byte)'|':
                // Attributes come only with features the wire does not use (client tracking).
                Reset();
                return ReceivedKind.Other;
            default:
                return Value(line, bulk: false);
        }
    }

    /// <summary>A whole value has arrived (a simple one, a bulk string's content, or an empty aggregate).</summary>
    private ReceivedKind Value(ReadOnlySpan<byte> value, bool bulk)
    {
        if (_depth == 0)
        {
            if (value.SequenceEqual("+PONG"u8))
                return ReceivedKind.Greeting;
            // PUBLISH answers with how many subscribers got the message: none means it was lost.
            return value.SequenceEqual(":0"u8) ? ReceivedKind.Other : ReceivedKind.Control;
        }

        var kind = ReceivedKind.Control;
        if (_depth == 1 && _push && bulk)
        {
            if (_index == 0)
                _message = value.SequenceEqual("message"u8);
            else if (_index == 2 && _message)
                kind = ReceivedKind.From;
        }

        // This value is one element of the innermost open aggregate; each aggregate it completes
        // is in turn one element of its parent.
        while (_depth > 0)
        {
            if (_depth == 1)
                _index++;
            if (--_remaining[_depth - 1] > 0)
                break;
            _depth--;
        }

        return kind;
    }

    private void Reset()
    {
        _depth = 0;
        _bulkLength = -1;
    }

    private static bool TryLength(ReadOnlySpan<byte> line, out int length) =>
        Utf8Parser.TryParse(line[1..], out length, out var consumed) && consumed == line.Length - 1;
}
