namespace Relay.Client;

/// <summary>What each form of the console client does.</summary>
internal static class ClientCommands
{
    // `send` over UDP: how long to wait for the PONG that confirms the message, and how many PINGs to try.
    private static readonly TimeSpan UdpPongWait = TimeSpan.FromSeconds(1);
    private const int UdpPings = 5;

    public static async Task<int> ChatAsync(NodeList endpoint)
    {
        await using var client = await TryConnectAsync(endpoint).ConfigureAwait(false);
        if (client is null)
            return 1;

        IChatOutput output;
        Func<string, string?> readLine;
        if (Console.IsInputRedirected)
        {
            output = new PlainOutput();
            readLine = _ => Console.In.ReadLine();
        }
        else
        {
            var editor = new LineEditor();
            output = editor;
            readLine = editor.ReadLine;
            output.Print("type /help for the commands");
        }

        return await new ChatSession(endpoint, client, output, readLine).RunAsync().ConfigureAwait(false);
    }

    public static async Task<int> SendAsync(NodeList endpoint, long target, string text)
    {
        await using var client = await TryConnectAsync(endpoint).ConfigureAwait(false);
        if (client is null)
            return 1;

        var exitCode = 0;
        var udp = endpoint.Options.Transport == RelayTransport.Udp;
        try
        {
            await client.SendAsync(target, text).ConfigureAwait(false);
            // The PONG comes back after the server has handled the message, errors included.
            await client.PingAsync().ConfigureAwait(false);
            for (var pings = 1; ; )
            {
                RelayEvent relayEvent;
                // Over UDP the PING or its PONG may be lost: ask again rather than wait forever.
                using (var wait = new CancellationTokenSource(udp ? UdpPongWait : Timeout.InfiniteTimeSpan))
                {
                    try
                    {
                        if (!await client.WaitToReadAsync(wait.Token).ConfigureAwait(false))
                            break;
                        relayEvent = await client.ReadAsync(wait.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (pings < UdpPings)
                    {
                        pings++;
                        await client.PingAsync().ConfigureAwait(false);
                        continue;
                    }
                    catch (OperationCanceledException)
                    {
                        Console.Error.WriteLine($"relay-client: no answer over UDP to {pings} PINGs; the message may or may not have arrived");
                        return 1;
                    }
                }

                if (relayEvent is PongReceived)
                    return exitCode;
                if (relayEvent is ErrorReceived or SessionLost)
                {
                    exitCode = 1;
                    Console.Error.WriteLine(EventText.Of(relayEvent));
                }
                else
                {
                    Console.WriteLine(EventText.Of(relayEvent));
                }
            }
        }
        catch (RelayConnectionException error)
        {
            Console.Error.WriteLine($"relay-client: {error.Message}");
            return 1;
        }
        catch (ArgumentException error)
        {
            Console.Error.WriteLine($"relay-client: {error.Message}");
            return 1;
        }

        Console.Error.WriteLine("relay-client: the server closed the connection before confirming the message");
        return 1;
    }

    public static async Task<int> ListenAsync(NodeList endpoint, int? count, double? timeoutSeconds, CancellationToken cancellation)
    {
        await using var client = await TryConnectAsync(endpoint).ConfigureAwait(false);
        if (client is null)
            return 1;

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        if (timeoutSeconds is { } seconds)
            timeout.CancelAfter(TimeSpan.FromSeconds(seconds));

        var received = 0;
        try
        {
            RelayEvent? last = null;
            await foreach (var relayEvent in client.ReadAllAsync(timeout.Token).ConfigureAwait(false))
            {
                last = relayEvent;
                Console.WriteLine(EventText.Of(relayEvent));
                if (relayEvent is MessageReceived && ++received == count)
                    return 0;
            }

            // A lost UDP session has said so already; its id is gone, so listening on under a new one would mislead.
            if (last is not SessionLost)
                Console.Error.WriteLine("relay-client: the server closed the connection");
            return 1;
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            Console.Error.WriteLine($"relay-client: {received} message(s) within {timeoutSeconds} s");
            return 1;
        }
        catch (OperationCanceledException)
        {
            return 0;
        }
        catch (RelayConnectionException error)
        {
            Console.Error.WriteLine($"relay-client: {error.Message}");
            return 1;
        }
    }

    private static async Task<RelayClient?> TryConnectAsync(NodeList nodes)
    {
        try
        {
            var client = await nodes.ConnectAsync().ConfigureAwait(false);
            Console.WriteLine($"connected to {nodes.Current}, your ID is {client.Id}");
            return client;
        }
        catch (RelayConnectionException error)
        {
            Console.Error.WriteLine($"relay-client: {error.Message}");
            return null;
        }
    }
}
