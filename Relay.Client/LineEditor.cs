using System.Text;

namespace Relay.Client;

/// <summary>
/// A minimal terminal line editor whose <see cref="Print"/> can be called from any thread: an
/// incoming message is written above the prompt and the half-typed line is redrawn, not garbled.
/// </summary>
internal sealed class LineEditor : IChatOutput
{
    private const string ClearLine = "\r\u001b[2K";

    private readonly object _gate = new();
    private readonly StringBuilder _typed = new();
    private string _prompt = "";

    /// <summary>Reads one line; null on Ctrl+D at an empty line or Ctrl+C.</summary>
    public string? ReadLine(string prompt)
    {
        lock (_gate)
        {
            _prompt = prompt;
            _typed.Clear();
            Console.Write(prompt);
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
            Console.Write(ClearLine);
            Console.WriteLine(line);
            Console.Write(_prompt);
            Console.Write(_typed);
        }
    }

    private void Redraw()
    {
        Console.Write(ClearLine);
        Console.Write(_prompt);
        Console.Write(_typed);
    }
}
