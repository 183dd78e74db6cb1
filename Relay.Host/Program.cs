using System.Runtime.InteropServices;
using Akka.Actor;
using Relay.Actors;
using Relay.Host;

return await HostOptions.Command(RunAsync).Parse(args).InvokeAsync();

static async Task<int> RunAsync(HostOptions options, CancellationToken cancellation)
{
    // Ctrl+C and SIGTERM: before the node is up they cancel the start; after, they leave through
    // CoordinatedShutdown (stop accepting, tell clients to reconnect, leave the cluster, stop).
    using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
    RelayNode? node = null;
    void Stop(PosixSignalContext context)
    {
        context.Cancel = true;
        if (node is null)
            stopping.Cancel();
        else
            _ = CoordinatedShutdown.Get(node.System).Run(CoordinatedShutdown.ClrExitReason.Instance);
    }

    using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
    using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

    try
    {
        var config = RelayNode.LoadConfig(options.ConfigFile?.FullName, options.ToHocon());
        node = await RelayNode.StartAsync(config, stopping.Token);
    }
    catch (OperationCanceledException)
    {
        return 0;
    }
    catch (Exception error) when (error is InvalidOperationException or Akka.Configuration.ConfigurationException or FormatException)
    {
        Console.Error.WriteLine($"relay: {error.Message}");
        return 1;
    }

    Console.WriteLine($"RelayChat node listening on {node.ClientEndpoint}");
    Console.WriteLine($"cluster member {node.ClusterAddress}");
    await node.WhenTerminated;
    return 0;
}
