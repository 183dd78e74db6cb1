namespace Relay.Testing;

/// <summary>Exchanges the tests of single nodes and clusters share.</summary>
public static class Conversation
{
    /// <summary>
    /// Sends <paramref name="count"/> numbered messages from one client to another, in batches,
    /// while reading them on the other side; fails unless every one arrives, in order, from the
    /// right sender.
    /// </summary>
    public static async Task RelaysInOrderAsync(LineSocket sender, long senderId, LineSocket receiver, long receiverId, int count)
    {
        const int Batch = 100;
        var sending = Task.Run(async () =>
        {
            for (var i = 0; i < count; i += Batch)
                await sender.SendAsync(string.Concat(Enumerable.Range(i, Math.Min(Batch, count - i)).Select(n => $"TO:{receiverId}:message {n}\n")));
        });

        for (var n = 0; n < count; n++)
        {
            var line = await receiver.ReadLineAsync();
            if (line != $"FROM:{senderId}:message {n}")
                throw new InvalidDataException($"message {n}: expected 'FROM:{senderId}:message {n}', got '{line}'");
        }

        await sending;
    }
}
