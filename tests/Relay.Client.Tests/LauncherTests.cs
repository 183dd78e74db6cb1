using System.Diagnostics;
using Relay.Testing;

namespace Relay.Client.Tests;

/// <summary>The README's fast path: scripts/relay-host and scripts/relay-client run the built programs.</summary>
public sealed class LauncherTests
{
    [Theory]
    [InlineData("relay-host", "RelayChat node")]
    [InlineData("relay-client", "RelayChat console client")]
    public async Task Runs_the_built_program_with_the_arguments_given(string launcher, string description)
    {
        var start = new ProcessStartInfo(Path.Combine(RepositoryPaths.Root, "scripts", launcher))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--help");
        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));

        var output = await process.StandardOutput.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);

        Assert.Equal(0, process.ExitCode);
        Assert.Contains(description, output, StringComparison.Ordinal);
        Assert.Contains("--port", output, StringComparison.Ordinal);
    }
}
