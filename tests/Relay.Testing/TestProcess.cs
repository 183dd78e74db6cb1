using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Threading.Channels;

namespace Relay.Testing;

/// <summary>
/// A real child process for tests (a node or a console client): its output is read line by line,
/// waits are bounded, and it is killed when the test ends.
/// </summary>
public sealed partial class TestProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _stdout = Channel.CreateUnbounded<string>();
    private readonly Channel<string> _stderr = Channel.CreateUnbounded<string>();
    private readonly List<string> _transcript = new();

    private TestProcess(Process process) => _process = process;

    /// <summary>Everything the process printed so far (stdout and stderr), for failure messages.</summary>
    public string Transcript
    {
        get
        {
            lock (_transcript)
                return string.Join('\n', _transcript);
        }
    }

    /// <summary>The process id.</summary>
    public int Id => _process.Id;

    /// <summary>Whether the process has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Starts <c>dotnet &lt;built dll of project&gt; args…</c> with stdin, stdout and stderr redirected.</summary>
    public static TestProcess StartProject(string project, params string[] args) => StartProject(project, openFileLimit: null, args);

    /// <summary>
    /// As <see cref="StartProject(string, string[])"/>, with the process's open-file limit (soft and
    /// hard, so the runtime cannot raise it) set to <paramref name="openFileLimit"/> if given.
    /// </summary>
    public static TestProcess StartProject(string project, int? openFileLimit, params string[] args) =>
        StartProject(project, OpenFileLimit(openFileLimit), args);

    /// <summary>
    /// The launcher that sets a process's open-file limit (soft and hard) to <paramref name="limit"/>
    /// (none when null); prlimit execs the command, so the process id stays the command's.
    /// </summary>
    public static IReadOnlyList<string> OpenFileLimit(int? limit) =>
        limit is null ? [] : ["prlimit", $"--nofile={limit}:{limit}", "--"];

    /// <summary>
    /// As <see cref="StartProject(string, string[])"/>, started through <paramref name="launcher"/>: a
    /// command that execs the rest of its arguments (<c>prlimit … --</c>, <c>ip netns exec &lt;name&gt;</c>),
    /// so the process id stays the node's and killing it kills the node.
    /// </summary>
    public static TestProcess StartProject(string project, IReadOnlyList<string> launcher, params string[] args)
    {
        var start = new ProcessStartInfo(launcher.Count == 0 ? "dotnet" : launcher[0])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (launcher.Count > 0)
        {
            foreach (var word in launcher.Skip(1))
                start.ArgumentList.Add(word);
            start.ArgumentList.Add("dotnet");
        }

        start.ArgumentList.Add(RepositoryPaths.BuiltDll(project));
        foreach (var arg in args)
            start.ArgumentList.Add(arg);

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var result = new TestProcess(process);
        process.OutputDataReceived += (_, e) => result.OnOutput(e.Data, toChannel: true);
        process.ErrorDataReceived += (_, e) => result.OnOutput(e.Data, toChannel: false);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return result;
    }

    /// <summary>Waits for a stdout line matching <paramref name="match"/>; lines before it are skipped.</summary>
    public Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan? timeout = null, string? what = null) =>
        WaitAsync(_stdout, match, timeout, what);

    /// <summary>Waits for a stderr line matching <paramref name="match"/>; lines before it are skipped.</summary>
    public Task<string> WaitForErrorLineAsync(Func<string, bool> match, TimeSpan? timeout = null, string? what = null) =>
        WaitAsync(_stderr, match, timeout, what);

    /// <summary>Writes one line to the process's stdin.</summary>
    public async Task WriteLineAsync(string line)
    {
        await _process.StandardInput.WriteLineAsync(line);
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>Closes stdin (end of input).</summary>
    public void CloseInput() => _process.StandardInput.Close();

    /// <summary>Sends SIGTERM, as a service manager stopping the process would.</summary>
    public void Terminate() => Signal(15);

    /// <summary>Sends SIGKILL: the process dies at once, with no chance to clean up.</summary>
    public void KillHard() => Signal(9);

    /// <summary>Waits for exit and returns the exit code; fails after <paramref name="timeout"/>.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(30);
        using var cancel = new CancellationTokenSource(limit);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"the process did not exit within {limit.TotalSeconds} s. Output:\n{Transcript}");
        }

        return _process.ExitCode;
    }

    /// <summary>Kills the process if it still runs.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private async Task<string> WaitAsync(Channel<string> lines, Func<string, bool> match, TimeSpan? timeout, string? what)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(30);
        using var cancel = new CancellationTokenSource(limit);
        try
        {
            while (true)
            {
                var line = await lines.Reader.ReadAsync(cancel.Token);
                if (match(line))
                    return line;
            }
        }
        catch (Exception error) when (error is OperationCanceledException or ChannelClosedException)
        {
            var reason = error is ChannelClosedException ? "the process ended" : $"none within {limit.TotalSeconds} s";
            throw new TimeoutException($"waiting for {what ?? "a line"}: {reason}. Output so far:\n{Transcript}");
        }
    }

    private void OnOutput(string? line, bool toChannel)
    {
        var lines = toChannel ? _stdout : _stderr;
        if (line is null)
        {
            lines.Writer.TryComplete();
            return;
        }

        lock (_transcript)
            _transcript.Add(line);
        lines.Writer.TryWrite(line);
    }

    private void Signal(int signal)
    {
        if (SendSignal(_process.Id, signal) != 0)
            throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);
}
