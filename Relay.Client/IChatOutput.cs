namespace Relay.Client;

/// <summary>Where the chat writes what happens.</summary>
internal interface IChatOutput
{
    /// <summary>Writes one line for the user.</summary>
    void Print(string line);
}
