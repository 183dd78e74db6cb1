using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;

namespace Relay.Testing;

/// <summary>
/// A UDP client of a node, as a test drives it: one socket (its address is its identity),
/// commands as datagrams, and the lines of the datagrams it gets back.
/// </summary>
public sealed class DatagramSocket : IDisposable
{
    private readonly Socket _socket;
    private readonly EndPoint _node;
    private readonly Queue<string> _lines = new();
    // One receive loop for the socket's life: a receive cancelled by a timeout could otherwise
    // still take the next datagram and lose it.
    private readonly Channel<byte[]> _received = Channel.CreateUnbounded<byte[]>();
    // A HELLO sent again because the first answer was slow may be answered twice: that many
    // repeats of the greeting are skipped by the reads that follow.
    private string? _greeting;
    private int _repeatedGreetings;

    private DatagramSocket(EndPoint node)
    {
        _node = node;
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _ = ReceiveLoopAsync();
    }

    /// <summary>Where this client sends from: its identity at the node.</summary>
    public IPEndPoint LocalEndpoint => (IPEndPoint)_socket.LocalEndPoint!;

    /// <summary>A socket that has not said HELLO.</summary>
    public static DatagramSocket Open(EndPoint node) => new(node);

    /// <summary>
    /// Opens a session: sends <paramref name="hello"/> (retried, as UDP may lose it) until the
    /// greeting comes; returns the socket and its id.
    /// </summary>
    public static async Task<(DatagramSocket Socket, long Id)> HelloAsync(EndPoint node, string hello = "HELLO")
    {
        var socket = new DatagramSocket(node);
        for (var attempt = 0; attempt < 10; attempt++)
        {
            await socket.SendAsync(hello);
            var greeting = await socket.TryReceiveLineAsync(TimeSpan.FromSeconds(3));
            if (greeting is null)
                continue;
            socket._greeting = greeting;
            socket._repeatedGreetings = attempt;
            var id = greeting.StartsWith("YOUR_ID:", StringComparison.Ordinal)
                ? greeting["YOUR_ID:".Length..]
                : System.Text.Json.JsonDocument.Parse(greeting).RootElement.GetProperty("id").GetRawText();
            return (socket, long.Parse(id, System.Globalization.CultureInfo.InvariantCulture));
        }

        socket.Dispose();
        throw new TimeoutException($"no greeting from {node} after 10 HELLOs");
    }

    /// <summary>Sends one datagram holding the UTF-8 of <paramref name="text"/> exactly.</summary>
    public Task SendAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text));

    /// <summary>Sends one datagram of exact bytes.</summary>
    public async Task SendAsync(ReadOnlyMemory<byte> bytes)
    {
        using var timeout = new CancellationTokenSource(LineSocket.DefaultTimeout);
        await _socket.SendToAsync(bytes, SocketFlags.None, _node, timeout.Token);
    }

    /// <summary>The next datagram, whole; null if none comes within <paramref name="timeout"/>.</summary>
    public async Task<byte[]?> TryReceiveDatagramAsync(TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? LineSocket.DefaultTimeout);
        try
        {
            return await _received.Reader.ReadAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        catch (ChannelClosedException)
        {
            return null;
        }
    }

    /// <summary>The next line from the node (datagrams split at <c>\n</c>); fails after <paramref name="timeout"/>.</summary>
    public async Task<string> ReceiveLineAsync(TimeSpan? timeout = null) =>
        await TryReceiveLineAsync(timeout) ?? throw new TimeoutException($"no datagram from the node within {timeout ?? LineSocket.DefaultTimeout}");

    /// <summary>The next line from the node, or null if none comes within <paramref name="timeout"/>.</summary>
    public async Task<string?> TryReceiveLineAsync(TimeSpan? timeout = null)
    {
        if (_lines.Count == 0)
        {
            var datagram = await TryReceiveDatagramAsync(timeout);
            if (datagram is null)
                return null;
            var text = Encoding.UTF8.GetString(datagram);
            if (!text.EndsWith('\n'))
                throw new InvalidDataException($"a datagram from the node does not end its last line: '{text}'");
            foreach (var received in text[..^1].Split('\n'))
                _lines.Enqueue(received);
        }

        var line = _lines.Dequeue();
        if (_repeatedGreetings > 0 && line == _greeting)
        {
            _repeatedGreetings--;
            return await TryReceiveLineAsync(timeout);
        }

        return line;
    }

    /// <inheritdoc />
    public void Dispose() => _socket.Dispose();

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[65_536];
        try
        {
            while (true)
            {
                var received = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0));
                _received.Writer.TryWrite(buffer.AsSpan(0, received.ReceivedBytes).ToArray());
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            _received.Writer.TryComplete();
        }
    }
}
