namespace Relay.Client;

/// <summary>Where the chat writes what happens.</summary>
internal interface IChatOutput
{
    /// <summary>Writes one line for the user.</summary>
    void Print(string line);

    /// <summary>Writes one line about something that went wrong (stderr, when the output is a pipe).</summary>
    void PrintError(string line) => Print(line);
}
