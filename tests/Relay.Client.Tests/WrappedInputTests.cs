using System.Diagnostics;
using System.Globalization;
using System.Text;
using Relay.Testing;

namespace Relay.Client.Tests;

/// <summary>The chat in a real pseudo-terminal (script(1)) 20 columns wide: a half-typed line that wrapped is redrawn whole.</summary>
public sealed class WrappedInputTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private const int Columns = 20;

    [Fact]
    public async Task Redraws_a_half_typed_line_wider_than_the_terminal_below_an_incoming_message_without_leftovers()
    {
        var client = RepositoryPaths.BuiltDll("Relay.Client");
        var start = new ProcessStartInfo("script")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-qfec", $"stty cols {Columns} rows 12; exec dotnet {client} --host {fixture.Host} --port {fixture.Port}", "/dev/null" })
            start.ArgumentList.Add(arg);
        using var chat = Process.Start(start)!;
        var output = new StringBuilder();
        var reading = Task.Run(async () =>
        {
            var buffer = new char[4096];
            int read;
            while ((read = await chat.StandardOutput.ReadAsync(buffer)) > 0)
            {
                lock (output)
                    output.Append(buffer, 0, read);
            }
        });
        try
        {
            // The prompt, not just the line before it: typed before the editor reads, the text would be echoed by the terminal itself.
            await UntilAsync(output, text => text.Contains("type /help", StringComparison.Ordinal) && text.EndsWith("quit): ", StringComparison.Ordinal), "the prompt");
            var id = long.Parse(Between(Snapshot(output), "your ID is ", "\r"), CultureInfo.InvariantCulture);
            // 45 characters, then 2 of Korean (2 cells each): the line wraps onto three rows.
            const string typed = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHI안녕";
            await chat.StandardInput.WriteAsync(typed);
            await chat.StandardInput.FlushAsync();
            await UntilAsync(output, text => text.EndsWith("안녕", StringComparison.Ordinal), "the typed text");

            await using var other = await RelayClient.ConnectAsync(fixture.Host, fixture.Port);
            await other.SendAsync(id, "incoming");
            await UntilAsync(output, text => text.Contains("incoming", StringComparison.Ordinal) && text.EndsWith("안녕", StringComparison.Ordinal), "the redraw");

            var screen = new TerminalScreen(Columns).Feed(Snapshot(output));
            var lines = screen.Lines.Where(line => line.Length > 0).ToList();
            var incoming = lines.FindIndex(line => line.Contains("incoming", StringComparison.Ordinal));
            Assert.True(incoming >= 0, $"no incoming line on the screen:\n{screen}");
            // Below the message: the prompt and the typed text, whole, and nothing else.
            var below = string.Concat(lines.Skip(incoming + 1));
            Assert.EndsWith(typed, below, StringComparison.Ordinal);
            // Above it: no leftover piece of the typed text.
            Assert.DoesNotContain(lines.Take(incoming), line => line.Contains("abcdef", StringComparison.Ordinal) || line.Contains("GHI", StringComparison.Ordinal));
        }
        finally
        {
            chat.Kill(entireProcessTree: true);
            await chat.WaitForExitAsync();
        }
    }

    private static string Snapshot(StringBuilder output)
    {
        lock (output)
            return output.ToString();
    }

    private static string Between(string text, string before, string after)
    {
        var start = text.IndexOf(before, StringComparison.Ordinal) + before.Length;
        return text[start..text.IndexOf(after, start, StringComparison.Ordinal)];
    }

    private static async Task UntilAsync(StringBuilder output, Func<string, bool> condition, string what)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition(Snapshot(output)))
        {
            if (timeout.IsCancellationRequested)
                throw new TimeoutException($"waiting for {what}; the terminal got:\n{Snapshot(output)}");
            await Task.Delay(20);
        }
    }
}
