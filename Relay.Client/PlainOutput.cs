namespace Relay.Client;

/// <summary>Plain output for piped use: one line per event, nothing redrawn.</summary>
internal sealed class PlainOutput : IChatOutput
{
    private readonly object _gate = new();

    /// <inheritdoc />
    public void Print(string line)
    {
        lock (_gate)
            Console.Out.WriteLine(line);
    }

    /// <inheritdoc />
    public void PrintError(string line)
    {
        lock (_gate)
            Console.Error.WriteLine(line);
    }
}
