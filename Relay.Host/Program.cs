using System.Runtime.InteropServices;
using Akka.Actor;
using Relay.Actors;
using Relay.Host;

return await HostOptions.Command(RunAsync).Parse(args).InvokeAsync();

static async Task<int> RunAsync(HostOptions options, CancellationToken cancellation)
{
    RelayNode node;
    try
    {
        node = await RelayNode.StartAsync(RelayNode.LoadConfig(options.ConfigFile?.FullName, options.ToHocon()));
    }
    catch (Exception error) when (error is InvalidOperationException or Akka.Configuration.ConfigurationException or FormatException)
    {
        Console.Error.WriteLine($"relay: {error.Message}");
        return 1;
    }

    // Ctrl+C and SIGTERM both leave through CoordinatedShutdown: sockets close cleanly and, in a
    // cluster, the node leaves before it stops.
    void Shutdown(PosixSignalContext context)
    {
        context.Cancel = true;
        _ = CoordinatedShutdown.Get(node.System).Run(CoordinatedShutdown.ClrExitReason.Instance);
    }

    using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Shutdown);
    using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Shutdown);

    Console.WriteLine($"RelayChat node listening on {node.ClientEndpoint}");
    await node.WhenTerminated;
    return 0;
}
