namespace Relay.Client;

/// <summary>
/// The console chat: shows incoming events while it reads the user's lines, until the user
/// leaves, input ends or the server goes away.
/// </summary>
internal sealed class ChatSession(RelayClient client, IChatOutput output, Func<string, string?> readLine)
{
    // Piped input may end before the server has answered the last lines; a PING's answer proves
    // it has, so errors for those lines are shown before the client exits.
    private static readonly TimeSpan FinalPingTimeout = TimeSpan.FromSeconds(5);

    private readonly TaskCompletionSource _finalPong = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _leaving;

    /// <summary>Runs the chat; the exit code is 0 when the user left, 1 when the server went away.</summary>
    public async Task<int> RunAsync()
    {
        var receiving = ShowEventsAsync();
        var input = new ChatInput();
        while (true)
        {
            var reading = Task.Run(() => readLine(input.Prompt));
            if (await Task.WhenAny(reading, receiving).ConfigureAwait(false) == receiving)
                break;

            var line = await reading.ConfigureAwait(false);
            if (line is null)
                break;

            var action = input.Interpret(line);
            try
            {
                if (!await ActAsync(action).ConfigureAwait(false))
                    break;
            }
            catch (Exception error) when (error is System.Net.Sockets.SocketException or IOException or ObjectDisposedException)
            {
                break;
            }
        }

        if (receiving.IsCompleted)
        {
            await receiving.ConfigureAwait(false);
            return 1;
        }

        await FinishAsync().ConfigureAwait(false);
        return 0;
    }

    private async Task<bool> ActAsync(ChatAction action)
    {
        switch (action)
        {
            case ChatAction.Send send:
                await client.SendAsync(send.Target, send.Text).ConfigureAwait(false);
                return true;
            case ChatAction.Ping:
                await client.PingAsync().ConfigureAwait(false);
                return true;
            case ChatAction.Help:
                output.Print(ChatInput.HelpText);
                return true;
            case ChatAction.Continue { Problem: { } problem }:
                output.Print(problem);
                return true;
            case ChatAction.Quit:
                return false;
            default:
                return true;
        }
    }

    private async Task FinishAsync()
    {
        _leaving = true;
        try
        {
            await client.PingAsync().ConfigureAwait(false);
            await _finalPong.Task.WaitAsync(FinalPingTimeout).ConfigureAwait(false);
            await client.QuitAsync().ConfigureAwait(false);
        }
        catch (Exception error) when (error is TimeoutException or System.Net.Sockets.SocketException or IOException or ObjectDisposedException)
        {
            // Leaving anyway.
        }
    }

    private async Task ShowEventsAsync()
    {
        try
        {
            await foreach (var relayEvent in client.ReadAllAsync().ConfigureAwait(false))
            {
                if (relayEvent is PongReceived && _leaving)
                {
                    _finalPong.TrySetResult();
                    continue;
                }

                output.Print(EventText.Of(relayEvent));
            }

            if (!_leaving)
                output.Print("the server closed the connection");
        }
        catch (RelayConnectionException error)
        {
            output.Print(error.Message);
        }
    }
}
