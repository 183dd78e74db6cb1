namespace Relay.Client;

/// <summary>
/// The console chat: shows incoming events while it reads the user's lines, until the user
/// leaves, input ends or the server goes away — in which case, given other nodes, it fails over
/// to the next one and carries on with a new id.
/// </summary>
internal sealed class ChatSession(NodeList nodes, RelayClient client, IChatOutput output, Func<string, string?> readLine)
{
    // Piped input may end before the server has answered the last lines; a PING's answer proves
    // it has, so errors for those lines are shown before the client exits.
    private static readonly TimeSpan FinalPingTimeout = TimeSpan.FromSeconds(5);

    // A node that is leaving needs a moment to leave; a crashed one is skipped at once.
    private const int FailoverRounds = 5;

    private readonly TaskCompletionSource _finalPong = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _leaving;
    private RelayClient _client = client;

    /// <summary>Runs the chat; the exit code is 0 when the user left, 1 when no server was left.</summary>
    public async Task<int> RunAsync()
    {
        var input = new ChatInput();
        var receiving = ShowEventsAsync(_client);
        Task<string?>? reading = null;
        while (true)
        {
            reading ??= Task.Run(() => readLine(input.Prompt));
            if (await Task.WhenAny(reading, receiving).ConfigureAwait(false) == receiving)
            {
                if (!await FailOverAsync().ConfigureAwait(false))
                    return 1;
                receiving = ShowEventsAsync(_client);
                continue;
            }

            var line = await reading.ConfigureAwait(false);
            reading = null;
            if (line is null)
                break;

            try
            {
                if (!await ActAsync(input.Interpret(line)).ConfigureAwait(false))
                    break;
            }
            catch (Exception error) when (error is System.Net.Sockets.SocketException or IOException or ObjectDisposedException)
            {
                // The connection broke under the send; the receive side notices and fails over.
                output.Print($"not sent: {error.Message}");
            }
        }

        await FinishAsync().ConfigureAwait(false);
        await _client.DisposeAsync().ConfigureAwait(false);
        return 0;
    }

    private async Task<bool> FailOverAsync()
    {
        var lost = nodes.Current;
        await _client.DisposeAsync().ConfigureAwait(false);
        if (!nodes.CanFailOver)
            return false;

        output.Print($"lost {lost}; trying the other nodes");
        try
        {
            _client = await nodes.ConnectAsync(skipCurrent: true, rounds: FailoverRounds).ConfigureAwait(false);
        }
        catch (RelayConnectionException error)
        {
            output.Print(error.Message);
            return false;
        }

        output.Print($"reconnected to {nodes.Current}, your new ID is {_client.Id}");
        return true;
    }

    private async Task<bool> ActAsync(ChatAction action)
    {
        switch (action)
        {
            case ChatAction.Send send:
                await _client.SendAsync(send.Target, send.Text).ConfigureAwait(false);
                return true;
            case ChatAction.Ping:
                await _client.PingAsync().ConfigureAwait(false);
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
            await _client.PingAsync().ConfigureAwait(false);
            await _finalPong.Task.WaitAsync(FinalPingTimeout).ConfigureAwait(false);
            await _client.QuitAsync().ConfigureAwait(false);
        }
        catch (Exception error) when (error is TimeoutException or System.Net.Sockets.SocketException or IOException or ObjectDisposedException)
        {
            // Leaving anyway.
        }
    }

    private async Task ShowEventsAsync(RelayClient connection)
    {
        try
        {
            await foreach (var relayEvent in connection.ReadAllAsync().ConfigureAwait(false))
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
