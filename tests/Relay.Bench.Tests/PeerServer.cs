using System.Diagnostics;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using Relay.Testing;

namespace Relay.Bench.Tests;

/// <summary>
/// A redis-server or nats-server (the Debian packages) for the peer smoke tests: on free loopback
/// ports, up when its client port accepts (and, in a NATS cluster, when every route is up), killed
/// when the test ends.
/// </summary>
internal sealed class PeerServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);

    private readonly Process _process;

    private PeerServer(Process process, IPEndPoint endpoint)
    {
        _process = process;
        Endpoint = endpoint;
    }

    /// <summary>Where clients connect.</summary>
    public IPEndPoint Endpoint { get; }

    /// <summary>The server's process id, for its memory.</summary>
    public int Pid => _process.Id;

    /// <summary>Why the peer tests cannot run here (a server not installed), or null.</summary>
    public static string? Unavailable { get; } =
        new[] { "redis-server", "nats-server" }.FirstOrDefault(name => !OnPath(name)) is { } missing
            ? $"{missing} is not installed (apt-get install -y redis-server nats-server)"
            : null;

    public static async Task<PeerServer> StartRedisAsync()
    {
        var port = FreePorts.Take(1)[0];
        var server = Start("redis-server", port, "--port", $"{port}", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no");
        await server.WaitUntilAcceptingAsync(port);
        return server;
    }

    /// <summary><paramref name="count"/> NATS servers, each routed to all the others when count &gt; 1.</summary>
    public static async Task<PeerServer[]> StartNatsAsync(int count)
    {
        var ports = FreePorts.Take(3 * count);
        var servers = new PeerServer[count];
        for (var i = 0; i < count; i++)
        {
            var args = new List<string> { "-a", "127.0.0.1", "-p", $"{ports[i]}", "-m", $"{ports[2 * count + i]}" };
            if (count > 1)
            {
                var routes = Enumerable.Range(0, count).Where(j => j != i).Select(j => $"nats://127.0.0.1:{ports[count + j]}");
                args.AddRange(["--cluster", $"nats://127.0.0.1:{ports[count + i]}", "--cluster_name", "bench-test", "--routes", string.Join(',', routes)]);
            }

            servers[i] = Start("nats-server", ports[i], [.. args]);
        }

        for (var i = 0; i < count; i++)
        {
            await servers[i].WaitUntilAcceptingAsync(ports[i]);
            await WaitForRoutesAsync(ports[2 * count + i], count - 1);
        }

        return servers;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static PeerServer Start(string executable, int port, params string[] args)
    {
        var start = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        var process = Process.Start(start)!;
        // Drained so that a chatty server never blocks on a full pipe.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new PeerServer(process, new IPEndPoint(IPAddress.Loopback, port));
    }

    private async Task WaitUntilAcceptingAsync(int port)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            using var probe = new Socket(SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (deadline.Elapsed < StartTimeout && !_process.HasExited)
            {
                await Task.Delay(50);
            }
        }
    }

    private static async Task WaitForRoutesAsync(int monitorPort, int routes)
    {
        if (routes == 0)
            return;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var routez = await http.GetStringAsync(new Uri($"http://127.0.0.1:{monitorPort}/routez"));
            if (routez.Contains($"\"num_routes\": {routes},", StringComparison.Ordinal))
                return;
            if (deadline.Elapsed > StartTimeout)
                throw new TimeoutException($"NATS routes did not form within {StartTimeout.TotalSeconds} s: {routez}");
            await Task.Delay(100);
        }
    }

    private static bool OnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/sbin", "/sbin"])
            .Any(directory => File.Exists(Path.Combine(directory, name)));
}
