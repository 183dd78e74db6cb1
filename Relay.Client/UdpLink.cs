using System.Net;
using System.Net.Sockets;
using Relay.Protocol;

namespace Relay.Client;

/// <summary>
/// Datagrams to and from the node's UDP port: one command per datagram out; each datagram in holds
/// one or more whole lines, each ending in <c>\n</c>.
/// </summary>
internal sealed class UdpLink : RelayLink
{
    // The largest UDP payload over IPv4. The node packs its lines into datagrams of about 1200
    // bytes, but one long message is one line, and one line is never split.
    private const int MaxDatagram = 65_507;

    private readonly byte[] _buffer = new byte[MaxDatagram];
    private Socket? _socket;

    public override async ValueTask ConnectAsync(string host, int port, CancellationToken cancellation)
    {
        var addresses = await Dns.GetHostAddressesAsync(host, cancellation).ConfigureAwait(false);
        // Nothing answers a UDP "connect", so there is no trying one address after another as TCP
        // does: take IPv4 first, where a node listens by default ("localhost" also resolves to ::1).
        var address = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses.FirstOrDefault()
            ?? throw new SocketException((int)SocketError.HostNotFound);
        _socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        // Connected: datagrams from anyone but the node are dropped by the kernel, and a port nobody
        // listens on is reported (ICMP port unreachable) as ConnectionRefused on the next receive.
        await _socket.ConnectAsync(new IPEndPoint(address, port), cancellation).ConfigureAwait(false);
    }

    public override async ValueTask SendAsync(ReadOnlyMemory<byte> command, CancellationToken cancellation)
    {
        if (command.Length > MaxDatagram)
            throw new ArgumentException($"Over UDP a command is one datagram, at most {MaxDatagram} bytes; this one is {command.Length}.", nameof(command));
        await Socket.SendAsync(command, SocketFlags.None, cancellation).ConfigureAwait(false);
    }

    public override async ValueTask<bool> ReceiveAsync(ServerLineEvents sink, CancellationToken cancellation)
    {
        var read = await Socket.ReceiveAsync(_buffer, SocketFlags.None, cancellation).ConfigureAwait(false);
        var datagram = _buffer.AsSpan(0, read);
        foreach (var range in datagram.Split(Wire.LineFeed))
        {
            var line = datagram[range];
            if (line.EndsWith((byte)'\r'))
                line = line[..^1];
            if (!line.IsEmpty)
                sink.OnLine(line);
        }

        // Nothing ends a UDP "connection": only QUIT, a lost session or Close end the stream.
        return true;
    }

    public override void Close() => _socket?.Dispose();

    private Socket Socket => _socket ?? throw new InvalidOperationException("not connected");
}
