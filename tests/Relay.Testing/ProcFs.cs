using System.Globalization;

namespace Relay.Testing;

/// <summary>What Linux's /proc says about a process and its sockets: how tests see leaks and growth.</summary>
public static class ProcFs
{
    /// <summary>Resident memory of process <paramref name="pid"/>, in bytes (VmRSS).</summary>
    public static long ResidentBytes(int pid) => StatusField(pid, "VmRSS:") * 1024;

    /// <summary>File descriptors process <paramref name="pid"/> has open.</summary>
    public static int OpenFiles(int pid) => Directory.GetFileSystemEntries($"/proc/{pid}/fd").Length;

    /// <summary>
    /// Sockets among the descriptors of process <paramref name="pid"/>: unlike <see cref="OpenFiles"/>,
    /// not raised by the assemblies .NET maps as it first needs them.
    /// </summary>
    public static int OpenSockets(int pid) =>
        Directory.GetFileSystemEntries($"/proc/{pid}/fd")
            .Count(fd => new FileInfo(fd).LinkTarget?.StartsWith("socket:", StringComparison.Ordinal) == true);

    /// <summary>Threads of process <paramref name="pid"/>.</summary>
    public static int Threads(int pid) => (int)StatusField(pid, "Threads:");

    /// <summary>
    /// TCP sockets on this machine whose local port is <paramref name="localPort"/> and whose state
    /// is CLOSE-WAIT: the peer closed and the owner never did (a leaked connection).
    /// </summary>
    public static int CloseWaitSockets(int localPort)
    {
        const string closeWait = "08";
        var count = 0;
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            if (!File.Exists(table))
                continue;
            foreach (var line in File.ReadLines(table).Skip(1))
            {
                // "  sl  local_address rem_address   st ..." with addresses as HEXIP:HEXPORT
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var local = fields[1];
                var port = int.Parse(local[(local.IndexOf(':') + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                if (port == localPort && fields[3] == closeWait)
                    count++;
            }
        }

        return count;
    }

    private static long StatusField(int pid, string name)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith(name, StringComparison.Ordinal))
                return long.Parse(line[name.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }

        throw new InvalidDataException($"/proc/{pid}/status has no {name}");
    }
}
