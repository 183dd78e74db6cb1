using System.Net;
using System.Net.Sockets;

namespace Relay.Actors.Cluster;

/// <summary>
/// Refuses a cluster port another process listens on, before Akka.Remote binds it. DotNetty binds
/// with .NET's ReuseAddress, which on Linux also sets SO_REUSEPORT: a second node on a busy port
/// would start without a word and share the port (and the address) with the first.
/// </summary>
internal static class ClusterPort
{
    private const int SolSocket = 1;
    private const int SoReuseAddr = 2;

    /// <summary>Throws when another process listens on <paramref name="host"/>:<paramref name="port"/>.</summary>
    public static void EnsureFree(string host, int port)
    {
        if (port == 0 || !OperatingSystem.IsLinux() || !IPAddress.TryParse(host, out var address))
            return;

        using var probe = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        // SO_REUSEADDR alone: a port a node that just died left in TIME_WAIT may be bound again (so
        // a crashed node restarts at once), one that another process listens on may not.
        probe.SetRawSocketOption(SolSocket, SoReuseAddr, BitConverter.GetBytes(1));
        try
        {
            probe.Bind(new IPEndPoint(address, port));
            probe.Listen(1);
        }
        catch (SocketException error) when (error.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            throw new InvalidOperationException(
                $"Cluster port {host}:{port} is in use by another process (another node?). " +
                "Give each node on one machine its own --cluster-port (0 picks a free one).");
        }
    }
}
