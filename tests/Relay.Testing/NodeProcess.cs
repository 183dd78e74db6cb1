using System.Net;

namespace Relay.Testing;

/// <summary>A real Relay.Host process on loopback, on a port the OS picked.</summary>
public sealed class NodeProcess : IAsyncDisposable
{
    private const string ListeningLine = "RelayChat node listening on ";

    private NodeProcess(TestProcess process, IPEndPoint clientEndpoint)
    {
        Process = process;
        ClientEndpoint = clientEndpoint;
    }

    /// <summary>The running process.</summary>
    public TestProcess Process { get; }

    /// <summary>Where clients connect.</summary>
    public IPEndPoint ClientEndpoint { get; }

    /// <summary>Starts a node with <c>--port 0</c> plus <paramref name="args"/> and waits until it listens.</summary>
    public static async Task<NodeProcess> StartAsync(params string[] args)
    {
        var process = TestProcess.StartProject("Relay.Host", ["--port", "0", .. args]);
        try
        {
            var line = await process.WaitForLineAsync(l => l.StartsWith(ListeningLine, StringComparison.Ordinal), what: "the node's listening line");
            return new NodeProcess(process, IPEndPoint.Parse(line[ListeningLine.Length..]));
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    /// <summary>Kills the node if it still runs.</summary>
    public ValueTask DisposeAsync() => Process.DisposeAsync();
}
