using System.Net;
using System.Net.Sockets;

namespace Relay.Testing;

/// <summary>
/// Ports for nodes that must know each other's cluster port before they start (seed lists, a
/// restart on the same address). Asks the OS for free loopback ports; the tiny window before the
/// node binds them is the price of a fixed seed list.
/// </summary>
public static class FreePorts
{
    /// <summary>Returns <paramref name="count"/> distinct ports free on 127.0.0.1 right now.</summary>
    public static int[] Take(int count)
    {
        var sockets = Enumerable.Range(0, count).Select(_ =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            return socket;
        }).ToList();
        var ports = sockets.Select(s => ((IPEndPoint)s.LocalEndPoint!).Port).ToArray();
        sockets.ForEach(s => s.Dispose());
        return ports;
    }
}
