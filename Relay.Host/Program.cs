using System.CommandLine;
using Relay.Host;

var parsed = HostOptions.Command((options, _) => RelayHost.RunAsync(options)).Parse(args);
if (parsed.Errors.Count > 0)
{
    // One plain line and the usual usage-error code, not the help text after a list of errors;
    // an unknown option explains the rest ("'x' was not matched" is its value).
    var error = parsed.Errors.FirstOrDefault(e => e.Message.StartsWith("Unrecognized", StringComparison.Ordinal)) ?? parsed.Errors[0];
    Console.Error.WriteLine($"relay: {error.Message.Split('\n')[0]} (see --help)");
    return 2;
}

// Ctrl+C and SIGTERM belong to the generic host: it stops the node through CoordinatedShutdown
// (stop accepting, tell clients to reconnect, leave the cluster), which takes longer than
// System.CommandLine would wait before ending the process.
return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
