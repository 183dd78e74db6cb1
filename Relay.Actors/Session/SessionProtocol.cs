namespace Relay.Actors.Session;

/// <summary>The node is leaving the cluster: tell the client to reconnect elsewhere, then close.</summary>
public sealed record NodeLeaving
{
    /// <summary>The one instance.</summary>
    public static readonly NodeLeaving Instance = new();
}
