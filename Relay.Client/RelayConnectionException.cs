namespace Relay.Client;

/// <summary>The node could not be reached, or the connection to it broke.</summary>
public sealed class RelayConnectionException : Exception
{
    /// <summary>Creates the exception with a one-line reason meant for the user.</summary>
    public RelayConnectionException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
