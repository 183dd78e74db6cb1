using System.Text;

namespace Relay.Client.Tests;

/// <summary>
/// What a terminal of a given size shows after some output: enough of a VT100 for the line
/// editor (printing with auto-wrap, CR, LF, cursor up, erase line and erase to end of screen).
/// Other escape sequences are skipped.
/// </summary>
internal sealed class TerminalScreen(int columns)
{
    private readonly List<char[]> _rows = [NewRow(columns)];
    private int _row;
    private int _column;
    private bool _pendingWrap;

    /// <summary>The screen's rows (scrolled-off rows included), trailing blanks trimmed.</summary>
    public IReadOnlyList<string> Lines => _rows.Select(r => new string(r).TrimEnd()).ToList();

    public TerminalScreen Feed(string output)
    {
        for (var i = 0; i < output.Length; i++)
        {
            var c = output[i];
            switch (c)
            {
                case '\r':
                    _column = 0;
                    _pendingWrap = false;
                    break;
                case '\n':
                    NextRow();
                    break;
                case '\u001b':
                    i = Escape(output, i);
                    break;
                default:
                    if (!char.IsControl(c))
                        Print(c);
                    break;
            }
        }

        return this;
    }

    private void Print(char c)
    {
        if (_pendingWrap)
        {
            NextRow();
            _column = 0;
            _pendingWrap = false;
        }

        _rows[_row][_column] = c;
        if (_column == columns - 1)
            _pendingWrap = true;
        else
            _column++;
    }

    private void NextRow()
    {
        _row++;
        if (_row == _rows.Count)
            _rows.Add(NewRow(columns));
    }

    /// <summary>Handles the sequence starting at <paramref name="start"/>; returns the index of its last character.</summary>
    private int Escape(string output, int start)
    {
        if (start + 1 >= output.Length || output[start + 1] != '[')
            return Math.Min(start + 1, output.Length - 1);

        var end = start + 2;
        while (end < output.Length && !(output[end] >= '@' && output[end] <= '~'))
            end++;
        if (end >= output.Length)
            return output.Length - 1;

        var parameters = output[(start + 2)..end];
        var count = int.TryParse(parameters, out var n) ? n : 1;
        switch (output[end])
        {
            case 'A':
                _row = Math.Max(0, _row - count);
                _pendingWrap = false;
                break;
            case 'J':
                Array.Fill(_rows[_row], ' ', _column, columns - _column);
                _rows.RemoveRange(_row + 1, _rows.Count - _row - 1);
                break;
            case 'K' when parameters == "2":
                Array.Fill(_rows[_row], ' ');
                break;
            case 'K':
                Array.Fill(_rows[_row], ' ', _column, columns - _column);
                break;
        }

        return end;
    }

    private static char[] NewRow(int columns) => Enumerable.Repeat(' ', columns).ToArray();

    public override string ToString() => string.Join('\n', Lines);
}
