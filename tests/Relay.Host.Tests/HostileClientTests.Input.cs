using System.Text;
using Relay.Testing;

namespace Relay.Host.Tests;

/// <summary>Input no well-behaved client sends: noise, NULs, broken UTF-8, endless lines, empty lines.</summary>
public sealed partial class HostileClientTests
{
    private const string TooLong = "ERROR:TOO_LONG:line longer than 65536 bytes discarded";

    [Fact]
    public async Task Answers_a_MiB_of_random_bytes_with_one_error_per_line_in_text_and_in_JSON_and_then_a_PING()
    {
        await using var node = await NodeProcess.StartAsync();
        await using var bystanders = await ConnectBystandersAsync(node);
        var (text, _) = await LineSocket.ConnectClientAsync(node.ClientEndpoint);
        var (json, _) = await LineSocket.ConnectClientAsync(node.ClientEndpoint);
        await using var _t = text;
        await using var _j = json;
        // Seeded, so that a failure can be replayed; a random byte is a newline once in 256, so
        // the noise is some 4,000 lines of every byte value.
        var noise = new byte[1024 * 1024];
        new Random(11).NextBytes(noise);
        // The first non-blank byte chooses the protocol: NUL makes it text, a brace JSON.
        noise[0] = 0;
        byte[] jsonNoise = [(byte)'{', .. noise.AsSpan(1)];

        var textSending = Task.Run(async () => await text.SendAsync((byte[])[.. noise, .. "\nPING\n"u8]));
        var jsonSending = Task.Run(async () => await json.SendAsync((byte[])[.. jsonNoise, .. "\n{\"op\":\"ping\"}\n"u8]));
        var textReplies = await ReadUntilAsync(text, "PONG");
        var jsonReplies = await ReadUntilAsync(json, "{\"op\":\"pong\"}");
        await Task.WhenAll(textSending, jsonSending);

        // Every line but an empty one is answered, with an error; in JSON, blank lines are skipped.
        Assert.Equal(Lines(noise).Count(line => line.Length > 0), textReplies.Count);
        Assert.All(textReplies, reply => Assert.StartsWith("ERROR:", reply, StringComparison.Ordinal));
        Assert.Equal("{\"op\":\"hello\"", jsonReplies[0][..13]);
        Assert.Equal(Lines(jsonNoise).Count(line => line.AsSpan().IndexOfAnyExcept(" \t"u8) >= 0), jsonReplies.Count - 1);
        Assert.All(jsonReplies.Skip(1), reply => Assert.StartsWith("{\"op\":\"error\",\"code\":\"BAD_", reply, StringComparison.Ordinal));
        await bystanders.AssertUnaffectedAsync();
    }

    [Fact]
    public async Task Relays_NUL_bytes_inside_a_message_byte_for_byte_and_answers_lines_of_NULs_with_errors()
    {
        await using var node = await NodeProcess.StartAsync();
        await using var bystanders = await ConnectBystandersAsync(node);
        var (hostile, hostileId) = await LineSocket.ConnectClientAsync(node.ClientEndpoint);
        await using var _h = hostile;

        await hostile.SendAsync("\0\0\0\n\0PING\nTO:\0" + bystanders.BId + ":x\nJOIN:\0\n" + new string('\0', 70_000) + "\n");
        await hostile.SendAsync($"TO:{bystanders.BId}:a\0b\0\nPING\n");

        Assert.Equal(
            ["ERROR:UNKNOWN_COMMAND:", "ERROR:UNKNOWN_COMMAND:", "ERROR:BAD_FORMAT:", "ERROR:BAD_NAME:", TooLong],
            (await ReadUntilAsync(hostile, "PONG")).Select(reply => reply.StartsWith("ERROR:TOO_LONG:", StringComparison.Ordinal) ? reply : reply[..(reply.IndexOf(':', 6) + 1)]));
        Assert.Equal($"FROM:{hostileId}:a\0b\0", await bystanders.B.ReadLineAsync());
        await bystanders.AssertUnaffectedAsync();
    }

    [Fact]
    public async Task Refuses_every_kind_of_invalid_UTF_8_with_BAD_ENCODING_and_relays_none_of_it()
    {
        await using var node = await NodeProcess.StartAsync();
        await using var bystanders = await ConnectBystandersAsync(node);
        var (hostile, hostileId) = await LineSocket.ConnectClientAsync(node.ClientEndpoint);
        var (json, _) = await LineSocket.ConnectClientAsync(node.ClientEndpoint);
        await using var _h = hostile;
        await using var _j = json;
        byte[][] invalid =
        [
            [0x80], // a continuation byte with no lead
            [0xC0, 0x80], // NUL, overlong
            [0xE0, 0x80, 0xAF], // '/', overlong
            [0xED, 0xA0, 0x80], // a UTF-16 surrogate
            [0xF4, 0x90, 0x80, 0x80], // beyond U+10FFFF
            [0xF8, 0x88, 0x80, 0x80, 0x80], // a five-byte form
            [0xFF, 0xFE], // bytes that never occur
            [0xE2, 0x82, (byte)'A'], // a sequence cut short mid-line
            [(byte)'o', (byte)'k', 0xE2, 0x82], // ... and at the end of the line
        ];
        var lines = new List<byte>();
        foreach (var bytes in invalid)
        {
            lines.AddRange([.. Encoding.ASCII.GetBytes($"TO:{bystanders.BId}:"), .. bytes, .. "\nALL:"u8, .. bytes, .. "\nTOACK:r1:"u8]);
            lines.AddRange([.. Encoding.ASCII.GetBytes($"{bystanders.BId}:"), .. bytes, .. "\nROOM:dev:"u8, .. bytes, (byte)'\n']);
        }

        await hostile.SendAsync("JOIN:dev\n");
        Assert.Equal("OK:JOIN:dev", await hostile.ReadLineAsync());
        await hostile.SendAsync((byte[])[.. lines, .. "JOIN:"u8, 0xFF, .. "\nPING\n"u8]);
        await json.SendAsync((byte[])[.. "{\"op\":\"all\",\"text\":\""u8, 0xC0, 0x80, .. "\"}\n{\"op\":\"ping\"}\n"u8]);

        var expected = invalid.SelectMany(_ => new[]
        {
            "ERROR:BAD_ENCODING:message is not valid UTF-8",
            "ERROR:BAD_ENCODING:message is not valid UTF-8",
            "ERROR:NOT_DELIVERED:r1:BAD_ENCODING:message is not valid UTF-8",
            "ERROR:BAD_ENCODING:message is not valid UTF-8",
        });
        var replies = await ReadUntilAsync(hostile, "PONG");
        Assert.Equal([.. expected, "ERROR:BAD_NAME:room names and refs are 1-64 characters of A-Z a-z 0-9 _ . -"], replies);
        var jsonReplies = await ReadUntilAsync(json, "{\"op\":\"pong\"}");
        Assert.StartsWith("{\"op\":\"error\",\"code\":\"BAD_ENCODING\"", jsonReplies[^1], StringComparison.Ordinal);
        // Nothing of it reached anyone: the bystander's next line is the next valid message.
        await hostile.SendAsync($"TO:{bystanders.BId}:valid\n");
        Assert.Equal($"FROM:{hostileId}:valid", await bystanders.B.ReadLineAsync());
        await bystanders.AssertUnaffectedAsync();
    }

    [Fact]
    public async Task Refuses_a_100_MiB_line_with_TOO_LONG_as_it_streams_in_and_grows_by_a_few_MiB_at_most()
    {
        const int Chunks = 100;
        await using var node = await NodeProcess.StartAsync();
        var pid = node.Process.Id;
        await using var bystanders = await ConnectBystandersAsync(node);
        var (hostile, hostileId) = await LineSocket.ConnectClientAsync(node.ClientEndpoint);
        await using var _h = hostile;
        // A client that has ended a line once has its lines end only at a newline, so the whole
        // 100 MiB is one line, however the node's reads fall.
        await hostile.SendAsync("PING\n");
        Assert.Equal("PONG", await hostile.ReadLineAsync());
        var rssBefore = ProcFs.ResidentBytes(pid);
        var chunk = new byte[MiB];
        chunk.AsSpan().Fill((byte)'x');

        var sending = Task.Run(async () =>
        {
            await hostile.SendAsync($"TO:{bystanders.BId}:");
            for (var i = 0; i < Chunks; i++)
                await hostile.SendAsync(chunk);
        });
        // The error comes as soon as the line crosses the limit, long before its end.
        Assert.Equal(TooLong, await hostile.ReadLineAsync(TimeSpan.FromSeconds(30)));
        var peak = rssBefore;
        using (var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            while (!sending.IsCompleted && !deadline.IsCancellationRequested)
            {
                peak = Math.Max(peak, ProcFs.ResidentBytes(pid));
                await Task.WhenAny(sending, Task.Delay(50));
            }
        }

        await sending;
        peak = Math.Max(peak, ProcFs.ResidentBytes(pid));
        await hostile.SendAsync($"\nTO:{bystanders.BId}:after 100 MiB\nPING\n");

        // One error for the one line, and the connection goes on.
        Assert.Equal("PONG", await hostile.ReadLineAsync());
        Assert.Equal($"FROM:{hostileId}:after 100 MiB", await bystanders.B.ReadLineAsync());
        var grown = peak - rssBefore;
        Assert.True(grown < 16 * MiB, $"the node grew by {grown / (double)MiB:F1} MiB while reading a {Chunks} MiB line");
        await bystanders.AssertUnaffectedAsync();
    }

    [Fact]
    public async Task Ignores_100000_empty_lines_and_answers_the_PING_after_them_and_nothing_else()
    {
        await using var node = await NodeProcess.StartAsync();
        await using var bystanders = await ConnectBystandersAsync(node);
        var (hostile, hostileId) = await LineSocket.ConnectClientAsync(node.ClientEndpoint);
        await using var _h = hostile;

        await hostile.SendAsync(new string('\n', 50_000) + string.Concat(Enumerable.Repeat("\r\n", 50_000)) + "PING\n");

        // Two seconds' worth of lines at the default rate limit: the PONG waits for them, no longer.
        Assert.Equal("PONG", await hostile.ReadLineAsync(TimeSpan.FromSeconds(20)));
        await hostile.SendAsync($"TO:{bystanders.BId}:after the empty lines\n");
        Assert.Equal($"FROM:{hostileId}:after the empty lines", await bystanders.B.ReadLineAsync());
        await bystanders.AssertUnaffectedAsync();
    }

    /// <summary>The lines before <paramref name="last"/>, which must come within the read timeout.</summary>
    private static async Task<List<string>> ReadUntilAsync(LineSocket client, string last)
    {
        var lines = new List<string>();
        for (var line = await client.ReadLineAsync(); line != last; line = await client.ReadLineAsync())
            lines.Add(line);
        return lines;
    }

    /// <summary>The lines of <paramref name="stream"/> as the node frames them: split at <c>\n</c>, one <c>\r</c> before it dropped.</summary>
    private static IEnumerable<byte[]> Lines(byte[] stream)
    {
        var start = 0;
        for (var end = Array.IndexOf(stream, (byte)'\n'); end >= 0; start = end + 1, end = Array.IndexOf(stream, (byte)'\n', start))
            yield return stream[start..(end > start && stream[end - 1] == '\r' ? end - 1 : end)];
        yield return stream[start..];
    }
}
