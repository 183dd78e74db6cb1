using System.Net;
using System.Net.Sockets;

namespace Relay.Actors;

/// <summary>
/// Refuses, before the node starts, a port another process listens on: with one clear line
/// instead of a transport's stack trace, and for the cluster port at all. DotNetty binds it with
/// .NET's ReuseAddress, which on Linux also sets SO_REUSEPORT, so a second node on a busy cluster
/// port would start without a word and share the port (and the address) with the first.
/// </summary>
public static class PortProbe
{
    private const int SolSocket = 1;
    private const int SoReuseAddr = 2;

    /// <summary>True when another process listens on <paramref name="host"/>:<paramref name="port"/> (Linux; elsewhere never).</summary>
    public static bool IsTaken(string host, int port)
    {
        if (port == 0 || !OperatingSystem.IsLinux() || !IPAddress.TryParse(host, out var address))
            return false;

        using var probe = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        // SO_REUSEADDR alone: a port a node that just died left in TIME_WAIT may be bound again (so
        // a crashed node restarts at once), one that another process listens on may not.
        probe.SetRawSocketOption(SolSocket, SoReuseAddr, BitConverter.GetBytes(1));
        try
        {
            probe.Bind(new IPEndPoint(address, port));
            probe.Listen(1);
            return false;
        }
        catch (SocketException error) when (error.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            return true;
        }
    }
}
