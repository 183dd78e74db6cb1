using System.Runtime.InteropServices;
using Akka.Actor;
using Relay.Actors;
using Relay.Host;

var parsed = HostOptions.Command(RunAsync).Parse(args);
if (parsed.Errors.Count > 0)
{
    // One plain line and the usual usage-error code, not the help text after a list of errors;
    // an unknown option explains the rest ("'x' was not matched" is its value).
    var error = parsed.Errors.FirstOrDefault(e => e.Message.StartsWith("Unrecognized", StringComparison.Ordinal)) ?? parsed.Errors[0];
    Console.Error.WriteLine($"relay: {error.Message.Split('\n')[0]} (see --help)");
    return 2;
}

return await parsed.InvokeAsync();

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
    if (node.UdpEndpoint is not null)
        Console.WriteLine($"UDP on {node.UdpEndpoint}");
    Console.WriteLine($"cluster member {node.ClusterAddress}");
    Console.WriteLine($"at most {node.MaxConnections} clients at once (relay.client-endpoint.max-connections)");
    await node.WhenTerminated;
    return 0;
}
