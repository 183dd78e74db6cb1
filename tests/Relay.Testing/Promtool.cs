using System.Diagnostics;

namespace Relay.Testing;

/// <summary>Prometheus's own checker (<c>promtool check metrics</c>; ./scripts/test.sh installs it).</summary>
public static class Promtool
{
    private const string Path = "/usr/bin/promtool";

    /// <summary>
    /// Checks <paramref name="exposition"/>: throws if it is not valid exposition format (promtool
    /// exits 1); returns promtool's lint remarks (one per line, exit code 3), empty when clean.
    /// </summary>
    public static async Task<IReadOnlyList<string>> CheckMetricsAsync(string exposition)
    {
        if (!File.Exists(Path))
            throw new InvalidOperationException($"{Path} is missing: ./scripts/test.sh installs it (apt-get install -y prometheus)");
        using var process = Process.Start(new ProcessStartInfo(Path, "check metrics")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        await process.StandardInput.WriteAsync(exposition);
        process.StandardInput.Close();
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        if (process.ExitCode is not (0 or 3))
            throw new InvalidOperationException($"promtool check metrics: exit {process.ExitCode}: {output.Trim()}");
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }
}
