namespace Relay.Testing;

/// <summary>Bounded waits for what the node does asynchronously, asked over the wire.</summary>
public static class Eventually
{
    /// <summary>
    /// Waits until <paramref name="asker"/> gets UNKNOWN_TARGET for <paramref name="id"/>: the node
    /// notices a departed client through DeathWatch, a moment after its socket closed.
    /// </summary>
    /// <returns>How long it took.</returns>
    public static async Task<TimeSpan> UnknownTargetAsync(LineSocket asker, long id, TimeSpan? within = null)
    {
        var started = DateTime.UtcNow;
        var deadline = started + (within ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            await asker.SendAsync($"TO:{id}:are you there?\nPING\n");
            var unknown = false;
            for (var line = await asker.ReadLineAsync(); line != "PONG"; line = await asker.ReadLineAsync())
                unknown |= line == $"ERROR:UNKNOWN_TARGET:no client {id}";

            if (unknown)
                return DateTime.UtcNow - started;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"client {id} was still known after {within ?? TimeSpan.FromSeconds(10)}");
            await Task.Delay(20);
        }
    }

    /// <summary>
    /// Asks <paramref name="command"/> (e.g. <c>WHO</c>) until its answer — the next line that starts
    /// with <paramref name="replyPrefix"/>; other lines, such as presence events, are skipped — satisfies
    /// <paramref name="accept"/>: other nodes' presence reaches this node a message's latency later.
    /// </summary>
    /// <returns>The accepted answer.</returns>
    public static async Task<string> ReplyAsync(
        LineSocket asker, string command, string replyPrefix, Func<string, bool> accept, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            await asker.SendAsync(command + "\n");
            var line = await asker.ReadLineAsync();
            while (!line.StartsWith(replyPrefix, StringComparison.Ordinal))
                line = await asker.ReadLineAsync();

            if (accept(line))
                return line;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"'{command}' still answered '{line}' after {(within ?? TimeSpan.FromSeconds(10)).TotalSeconds} s");
            await Task.Delay(20);
        }
    }

    /// <summary>Polls <paramref name="condition"/> (e.g. a /proc reading) until it holds; fails after <paramref name="within"/>.</summary>
    public static async Task TrueAsync(string what, Func<bool> condition, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(10));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"not true within {(within ?? TimeSpan.FromSeconds(10)).TotalSeconds} s: {what}");
            await Task.Delay(20);
        }
    }

    /// <summary>Polls <paramref name="condition"/> (e.g. a node's metrics over HTTP) until it holds; fails after <paramref name="within"/>.</summary>
    public static async Task TrueAsync(string what, Func<Task<bool>> condition, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(10));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"not true within {(within ?? TimeSpan.FromSeconds(10)).TotalSeconds} s: {what}");
            await Task.Delay(100);
        }
    }
}
