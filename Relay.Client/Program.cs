using Relay.Client;

return await ClientCommandLine.Build().Parse(args).InvokeAsync();
