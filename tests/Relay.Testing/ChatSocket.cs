using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Relay.Testing;

/// <summary>A browser-chat client over a real WebSocket: JSON objects, one per message.</summary>
public sealed class ChatSocket : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;

    private ChatSocket(ClientWebSocket socket) => _socket = socket;

    /// <summary>The underlying socket, for its state and close status.</summary>
    public ClientWebSocket Socket => _socket;

    /// <summary>Connects to <paramref name="dashboard"/>'s <c>/ws</c> and returns the client with the id of its hello.</summary>
    public static async Task<(ChatSocket Chat, long Id)> ConnectAsync(Uri dashboard, string? token = null)
    {
        var chat = await OpenAsync(dashboard, token);
        var hello = await chat.ReceiveAsync();
        if (hello.GetProperty("op").GetString() != "hello")
            throw new InvalidOperationException($"expected the hello first, got {hello}");
        return (chat, hello.GetProperty("id").GetInt64());
    }

    /// <summary>Opens the WebSocket without reading anything.</summary>
    public static async Task<ChatSocket> OpenAsync(Uri dashboard, string? token = null)
    {
        var socket = new ClientWebSocket();
        var uri = new UriBuilder(dashboard) { Scheme = "ws", Path = "/ws", Query = token is null ? "" : $"token={Uri.EscapeDataString(token)}" }.Uri;
        using var timeout = new CancellationTokenSource(LineSocket.DefaultTimeout);
        await socket.ConnectAsync(uri, timeout.Token);
        return new ChatSocket(socket);
    }

    /// <summary>Sends <paramref name="text"/> as one text message.</summary>
    public Task SendAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text));

    /// <summary>Sends <paramref name="bytes"/> as one text message.</summary>
    public async Task SendAsync(byte[] bytes)
    {
        using var timeout = new CancellationTokenSource(LineSocket.DefaultTimeout);
        await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, timeout.Token);
    }

    /// <summary>The next message, parsed; throws if none comes within the default timeout or the socket closes.</summary>
    public async Task<JsonElement> ReceiveAsync() =>
        JsonDocument.Parse(await ReceiveTextAsync() ?? throw new InvalidOperationException($"the socket closed ({_socket.CloseStatus} {_socket.CloseStatusDescription})")).RootElement.Clone();

    /// <summary>The next message's text, or null when the server closes the socket.</summary>
    public async Task<string?> ReceiveTextAsync()
    {
        using var timeout = new CancellationTokenSource(LineSocket.DefaultTimeout);
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await _socket.ReceiveAsync(buffer, timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
                return null;
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
                return Encoding.UTF8.GetString(message.ToArray());
        }
    }

    /// <summary>Aborts the socket.</summary>
    public ValueTask DisposeAsync()
    {
        _socket.Abort();
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
