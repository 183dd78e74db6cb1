namespace Relay.Client;

/// <summary>How a <see cref="RelayClient"/> reaches its node.</summary>
public enum RelayTransport
{
    /// <summary>A TCP connection to the node's client port: nothing is lost, and the connection's end is the session's.</summary>
    Tcp,

    /// <summary>
    /// Datagrams to the node's UDP port (<c>relay-host --udp-port</c>): one command per datagram, and the
    /// client's address is its identity. Datagrams may be lost; the client says <c>HELLO</c> again if the
    /// first gets no answer, and keeps its session alive while idle (see <see cref="RelayClientOptions.KeepAliveInterval"/>).
    /// </summary>
    Udp,
}
