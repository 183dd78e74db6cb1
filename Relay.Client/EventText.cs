namespace Relay.Client;

/// <summary>How the console shows what the server sends.</summary>
internal static class EventText
{
    public static string Of(RelayEvent relayEvent) => relayEvent switch
    {
        MessageReceived message => $"from {message.From}: {message.Text}",
        ErrorReceived error => $"error {error.Code}: {error.Text}",
        PongReceived => "pong",
        ReconnectRequested reconnect => $"server: {reconnect.Text}",
        UnknownLine unknown => $"server: {unknown.Line}",
        _ => relayEvent.ToString(),
    };
}
