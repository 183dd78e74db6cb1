namespace Relay.Actors.Session;

/// <summary>What carries a client's session.</summary>
public enum ClientTransport : byte
{
    /// <summary>A TCP connection (text or JSON lines).</summary>
    Tcp,

    /// <summary>UDP datagrams from one source address.</summary>
    Udp,

    /// <summary>A WebSocket (JSON objects, one per message), e.g. the dashboard's browser chat.</summary>
    WebSocket,
}
