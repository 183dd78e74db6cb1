using System.Text;

namespace Relay.Client;

/// <summary>
/// A minimal terminal line editor whose <see cref="Print"/> can be called from any thread: an
/// incoming message is written above the prompt and the half-typed line is redrawn, not garbled,
/// also when it is wider than the terminal and has wrapped onto several rows.
/// </summary>
internal sealed class LineEditor : IChatOutput
{
    // Erase from the cursor to the end of the screen.
    private const string EraseToEnd = "\u001b[J";

    private readonly object _gate = new();
    private readonly StringBuilder _typed = new();
    private string _prompt = "";
    // Terminal cells the prompt and the typed text take on screen now.
    private int _shownCells;

    /// <summary>Reads one line; null on Ctrl+D at an empty line or Ctrl+C.</summary>
    public string? ReadLine(string prompt)
    {
        lock (_gate)
        {
            _prompt = prompt;
            _typed.Clear();
            Console.Write(prompt);
            _shownCells = Cells(prompt);
        }

        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            lock (_gate)
            {
                switch (key)
                {
                    case { Key: ConsoleKey.Enter }:
                        var line = _typed.ToString();
                        _typed.Clear();
                        _prompt = "";
                        _shownCells = 0;
                        Console.WriteLine();
                        return line;
                    case { Key: ConsoleKey.D, Modifiers: ConsoleModifiers.Control } when _typed.Length == 0:
                    case { Key: ConsoleKey.C, Modifiers: ConsoleModifiers.Control }:
                        Console.WriteLine();
                        return null;
                    case { Key: ConsoleKey.Backspace } when _typed.Length > 0:
                        _typed.Length--;
                        Redraw();
                        break;
                    case { Key: ConsoleKey.U, Modifiers: ConsoleModifiers.Control }:
                        _typed.Clear();
                        Redraw();
                        break;
                    case { KeyChar: var c } when !char.IsControl(c):
                        _typed.Append(c);
                        Console.Write(c);
                        _shownCells += CellWidth(c);
                        break;
                }
            }
        }
    }

    /// <inheritdoc />
    public void Print(string line)
    {
        lock (_gate)
        {
            EraseInput();
            Console.WriteLine(line);
            WriteInput();
        }
    }

    private void Redraw()
    {
        EraseInput();
        WriteInput();
    }

    /// <summary>Moves to the first row of the prompt and erases it and every row the typed text wrapped onto.</summary>
    private void EraseInput()
    {
        var width = TerminalWidth();
        // After exactly a full row the cursor waits at its last column (the terminal wraps on the
        // next character), so n cells span (n - 1) / width rows below the first.
        var rowsBelow = _shownCells > 0 ? (_shownCells - 1) / width : 0;
        Console.Write('\r');
        if (rowsBelow > 0)
            Console.Write($"\u001b[{rowsBelow}A");
        Console.Write(EraseToEnd);
        _shownCells = 0;
    }

    private void WriteInput()
    {
        Console.Write(_prompt);
        Console.Write(_typed);
        _shownCells = Cells(_prompt) + Cells(_typed.ToString());
    }

    private static int TerminalWidth()
    {
        try
        {
            return Console.WindowWidth > 0 ? Console.WindowWidth : int.MaxValue;
        }
        catch (IOException)
        {
            return int.MaxValue;
        }
    }

    private static int Cells(string text)
    {
        var cells = 0;
        foreach (var c in text)
            cells += CellWidth(c);
        return cells;
    }

    /// <summary>Terminal cells of one UTF-16 unit: East Asian wide characters (Hangul, CJK, fullwidth, most emoji) take two.</summary>
    private static int CellWidth(char c) => c switch
    {
        >= '\u1100' and <= '\u115F' => 2,
        >= '\u2E80' and <= '\uA4CF' => 2,
        >= '\uAC00' and <= '\uD7A3' => 2,
        >= '\uF900' and <= '\uFAFF' => 2,
        >= '\uFF00' and <= '\uFF60' or >= '\uFFE0' and <= '\uFFE6' => 2,
        _ when char.IsHighSurrogate(c) => 2,
        _ when char.IsLowSurrogate(c) => 0,
        _ => 1,
    };
}
