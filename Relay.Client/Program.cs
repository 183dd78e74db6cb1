using Relay.Client;

var parsed = ClientCommandLine.Build().Parse(args);
if (parsed.Errors.Count > 0)
{
    // One plain line and the usual usage-error code, not the help text after a list of errors;
    // an unknown option explains the rest ("'x' was not matched" is its value).
    var error = parsed.Errors.FirstOrDefault(e => e.Message.StartsWith("Unrecognized", StringComparison.Ordinal)) ?? parsed.Errors[0];
    Console.Error.WriteLine($"relay-client: {error.Message.Split('\n')[0]} (see --help)");
    return 2;
}

return await parsed.InvokeAsync();
