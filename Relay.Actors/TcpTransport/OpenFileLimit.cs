using System.Globalization;

namespace Relay.Actors.TcpTransport;

/// <summary>The process's limit on open files, which every client socket counts against.</summary>
internal static class OpenFileLimit
{
    private const string LimitsFile = "/proc/self/limits";
    private const string OpenFilesRow = "Max open files";

    /// <summary>The soft limit of this process, or null where it cannot be read (not Linux) or there is none.</summary>
    public static long? Read()
    {
        try
        {
            return File.Exists(LimitsFile) ? Parse(File.ReadAllText(LimitsFile)) : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>The soft limit from the text of <c>/proc/&lt;pid&gt;/limits</c>; null if absent or unlimited.</summary>
    public static long? Parse(string limits)
    {
        foreach (var line in limits.Split('\n'))
        {
            if (!line.StartsWith(OpenFilesRow, StringComparison.Ordinal))
                continue;

            // "Max open files            1024                 4096                 files"
            var fields = line[OpenFilesRow.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return fields.Length > 0 && long.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var soft) ? soft : null;
        }

        return null;
    }
}
