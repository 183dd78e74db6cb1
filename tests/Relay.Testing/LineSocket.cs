using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Relay.Testing;

/// <summary>
/// A raw TCP client for tests: writes exact bytes and reads whole lines, every wait bounded.
/// Deliberately independent of Relay.Protocol, so tests check the wire, not our own parser.
/// </summary>
public sealed class LineSocket : IAsyncDisposable
{
    /// <summary>How long a read waits before the test fails.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private readonly MemoryStream _pending = new();

    private LineSocket(Socket socket) => _socket = socket;

    /// <summary>The underlying socket, for tests that need to misbehave.</summary>
    public Socket Socket => _socket;

    /// <summary>Connects to <paramref name="endpoint"/>.</summary>
    public static async Task<LineSocket> ConnectAsync(EndPoint endpoint)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timeout = new CancellationTokenSource(DefaultTimeout);
        await socket.ConnectAsync(endpoint, timeout.Token);
        return new LineSocket(socket);
    }

    /// <summary>Connects and reads the <c>YOUR_ID:&lt;id&gt;</c> line; returns the socket and its id.</summary>
    public static async Task<(LineSocket Socket, long Id)> ConnectClientAsync(EndPoint endpoint)
    {
        var socket = await ConnectAsync(endpoint);
        var welcome = await socket.ReadLineAsync();
        if (!welcome.StartsWith("YOUR_ID:", StringComparison.Ordinal))
            throw new InvalidDataException($"expected YOUR_ID:<id>, got '{welcome}'");
        return (socket, long.Parse(welcome["YOUR_ID:".Length..], System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Sends the UTF-8 of <paramref name="text"/> exactly as given (add the newline yourself).</summary>
    public Task SendAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text));

    /// <summary>Sends exact bytes.</summary>
    public async Task SendAsync(ReadOnlyMemory<byte> bytes)
    {
        using var timeout = new CancellationTokenSource(DefaultTimeout);
        await _socket.SendAsync(bytes, SocketFlags.None, timeout.Token);
    }

    /// <summary>Reads the next line (without its <c>\n</c>); fails after <paramref name="timeout"/> or at end of stream.</summary>
    public async Task<string> ReadLineAsync(TimeSpan? timeout = null)
    {
        var line = await TryReadLineAsync(timeout);
        return line ?? throw new EndOfStreamException("the server closed the connection");
    }

    /// <summary>Reads the next line, or null if the server closed the connection first.</summary>
    public async Task<string?> TryReadLineAsync(TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? DefaultTimeout);
        while (true)
        {
            if (TryTakeLine(out var line))
                return line;

            int read;
            try
            {
                read = await _socket.ReceiveAsync(_buffer, SocketFlags.None, cancel.Token);
            }
            catch (OperationCanceledException)
            {
                var partial = Encoding.UTF8.GetString(_pending.GetBuffer(), 0, (int)_pending.Length);
                throw new TimeoutException($"no complete line within {(timeout ?? DefaultTimeout).TotalSeconds} s; partial: '{partial}'");
            }

            if (read == 0)
                return null;
            _pending.Write(_buffer, 0, read);
        }
    }

    private bool TryTakeLine(out string line)
    {
        var pending = _pending.GetBuffer().AsSpan(0, (int)_pending.Length);
        var end = pending.IndexOf((byte)'\n');
        if (end < 0)
        {
            line = "";
            return false;
        }

        line = Encoding.UTF8.GetString(pending[..end]);
        var rest = pending[(end + 1)..].ToArray();
        _pending.SetLength(0);
        _pending.Write(rest);
        return true;
    }

    /// <summary>Waits until the server closes the connection, skipping any lines; true if it did within the timeout.</summary>
    public async Task<bool> WaitForCloseAsync(TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            while (await _socket.ReceiveAsync(_buffer, SocketFlags.None, cancel.Token) > 0)
            {
            }

            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (SocketException)
        {
            // A reset is a close too.
            return true;
        }
    }

    /// <summary>Closes the socket.</summary>
    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
