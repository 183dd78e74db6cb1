namespace Relay.Actors.Session;

/// <summary>Where a <see cref="ClientSession"/> is in its life.</summary>
public enum SessionState
{
    /// <summary>The node requires a token (relay.auth): waiting for the client's <c>AUTH:</c> line; it has no id yet.</summary>
    Authenticating,

    /// <summary>Waiting for an id and its location record; nothing is read yet.</summary>
    Registering,

    /// <summary>YOUR_ID sent; lines are read and relayed.</summary>
    Relaying,

    /// <summary>QUIT or end of input: nothing more is read; the replies still due are awaited.</summary>
    Draining,

    /// <summary>The last lines are being written; then the transport closes.</summary>
    Closing,

    /// <summary>Closed, or closing with nothing more to send.</summary>
    Closed,
}
