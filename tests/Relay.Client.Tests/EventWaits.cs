using System.Threading.Channels;

namespace Relay.Client.Tests;

/// <summary>Bounded waits for the events a test expects, with what came instead when they fail.</summary>
internal static class EventWaits
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    /// <summary>The very next event, which must be a <typeparamref name="T"/>.</summary>
    public static async Task<T> NextAsync<T>(this RelayClient client) where T : RelayEvent
    {
        var next = await client.NextEventAsync();
        return next as T ?? throw new Xunit.Sdk.XunitException($"expected a {typeof(T).Name} next, got {next}");
    }

    /// <summary>The very next event, whatever it is.</summary>
    public static async Task<RelayEvent> NextEventAsync(this RelayClient client)
    {
        try
        {
            return await client.ReadAsync().AsTask().WaitAsync(Wait);
        }
        catch (TimeoutException)
        {
            throw new Xunit.Sdk.XunitException($"no event within {Wait.TotalSeconds} s");
        }
    }

    /// <summary>
    /// The first <typeparamref name="T"/> that matches, skipping other events (presence lines about
    /// clients of other tests, for instance).
    /// </summary>
    public static async Task<T> FirstAsync<T>(this RelayClient client, Func<T, bool> match, string what) where T : RelayEvent
    {
        var skipped = new List<RelayEvent>();
        using var cancel = new CancellationTokenSource(Wait);
        try
        {
            while (true)
            {
                var next = await client.ReadAsync(cancel.Token);
                if (next is T wanted && match(wanted))
                    return wanted;
                skipped.Add(next);
            }
        }
        catch (Exception error) when (error is OperationCanceledException or ChannelClosedException)
        {
            var reason = error is ChannelClosedException ? "the connection ended" : $"none within {Wait.TotalSeconds} s";
            throw new Xunit.Sdk.XunitException($"waiting for {what}: {reason}; got instead: {string.Join(", ", skipped)}");
        }
    }

    /// <summary>Waits until <paramref name="asker"/> gets UNKNOWN_TARGET for <paramref name="id"/>.</summary>
    public static async Task GoneAsync(this RelayClient asker, long id)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (true)
        {
            await asker.SendAsync(id, "still there?");
            await asker.PingAsync();
            var events = new List<RelayEvent>();
            for (var next = await asker.NextEventAsync(); next is not PongReceived; next = await asker.NextEventAsync())
                events.Add(next);
            if (events.Contains(new ErrorReceived("UNKNOWN_TARGET", Relay.Protocol.ErrorCode.UnknownTarget, $"no client {id}")))
                return;
            if (DateTime.UtcNow > deadline)
                throw new Xunit.Sdk.XunitException($"client {id} was still known after {Wait.TotalSeconds} s");
            await Task.Delay(50);
        }
    }
}
