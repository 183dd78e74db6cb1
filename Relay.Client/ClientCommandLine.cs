using System.CommandLine;

namespace Relay.Client;

/// <summary>The console client's command line: chat (default), <c>send</c> and <c>listen</c>.</summary>
internal static class ClientCommandLine
{
    private static readonly Option<string> HostOption = new("--host")
    {
        Description = "Node to connect to.",
        DefaultValueFactory = _ => "127.0.0.1",
        Recursive = true,
    };

    private static readonly Option<int> PortOption = new("--port")
    {
        Description = "The node's client port (its UDP port with --udp).",
        DefaultValueFactory = _ => 9999,
        Recursive = true,
        CustomParser = result => (int)Number(result, "--port", "a port number 1-65535", 1, 65535),
    };

    private static readonly Option<string?> NodesOption = new("--nodes")
    {
        Description = "Cluster nodes, host:port[,host:port...]; overrides --host/--port. When the node in use goes away, the chat reconnects to another.",
        Recursive = true,
    };

    private static readonly Option<bool> JsonOption = new("--json")
    {
        Description = "Speak the JSON protocol to the node (one JSON object per line); what you see is the same.",
        Recursive = true,
        Arity = ArgumentArity.Zero,
    };

    private static readonly Option<string?> TokenOption = new("--token")
    {
        Description = "Token to present first, for a node that requires one (relay.auth; TCP only); RELAY_TOKEN in the environment keeps it out of ps.",
        Recursive = true,
    };

    private static readonly Option<bool> UdpOption = new("--udp")
    {
        Description = "Talk to the node over UDP: --port (or --nodes) is then its UDP port (relay-host --udp-port). " +
                      "Datagrams may be lost; if the node forgets this client, the chat says HELLO again and shows its new ID.",
        Recursive = true,
        Arity = ArgumentArity.Zero,
    };

    private static readonly Option<long> ToOption = new("--to")
    {
        Description = "Id of the recipient.",
        Required = true,
        CustomParser = result => Number(result, "--to", "a client id (a positive number)", 1, long.MaxValue),
    };
    private static readonly Argument<string[]> TextArgument = new("text") { Description = "The message.", Arity = ArgumentArity.OneOrMore };
    private static readonly Option<int?> CountOption = new("--count")
    {
        Description = "Exit after this many messages.",
        CustomParser = result => (int)Number(result, "--count", "a number of messages, 1 or more", 1, int.MaxValue),
    };

    private static readonly Option<double?> TimeoutOption = new("--timeout")
    {
        Description = "Give up after this many seconds (exit code 1).",
        CustomParser = result =>
        {
            var text = Token(result);
            if (double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
                && seconds > 0 && double.IsFinite(seconds))
                return seconds;
            result.AddError($"--timeout must be a number of seconds above 0, got '{text}'.");
            return null;
        },
    };

    public static RootCommand Build()
    {
        var send = new Command("send", "Send one message and exit; exit code 1 if the server refuses it.")
        {
            ToOption,
            TextArgument,
        };
        send.SetAction((parse, _) => ClientCommands.SendAsync(
            Endpoint(parse), parse.GetValue(ToOption), string.Join(' ', parse.GetValue(TextArgument)!)));

        var listen = new Command("listen", "Print what arrives, one line per event, until the server closes (or --count/--timeout).")
        {
            CountOption,
            TimeoutOption,
        };
        listen.SetAction((parse, token) => ClientCommands.ListenAsync(
            Endpoint(parse), parse.GetValue(CountOption), parse.GetValue(TimeoutOption), token));

        NodesOption.Validators.Add(result =>
        {
            if (!NodeList.TryParse(result.GetValueOrDefault<string?>() ?? "", out _, out var error))
                result.AddError($"--nodes: {error}");
        });

        var root = new RootCommand(
            "RelayChat console client. With no command: chat at a prompt, or read commands line by line when input is piped. " +
            "Errors go to stderr. Exit codes: 0 all went well; 1 the server refused a line (or a piped line was not a valid command), " +
            "or no node could be reached; 2 a bad option or value.")
        {
            HostOption,
            PortOption,
            NodesOption,
            JsonOption,
            UdpOption,
            TokenOption,
            send,
            listen,
        };
        root.SetAction((parse, _) => ClientCommands.ChatAsync(Endpoint(parse)));
        return root;
    }

    /// <summary>
    /// A whole number in [<paramref name="min"/>, <paramref name="max"/>], or an error naming the
    /// option and what it accepts (System.CommandLine's own would name a .NET type).
    /// </summary>
    private static long Number(System.CommandLine.Parsing.ArgumentResult result, string option, string accepts, long min, long max)
    {
        var text = Token(result);
        if (long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value)
            && value >= min && value <= max)
            return value;
        result.AddError($"{option} must be {accepts}, got '{text}'.");
        return min;
    }

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;

    private static string Token(System.CommandLine.Parsing.ArgumentResult result) => result.Tokens.Count > 0 ? result.Tokens[0].Value : "";

    private static NodeList Endpoint(ParseResult parse)
    {
        var options = RelayClientOptions.Default with
        {
            Protocol = parse.GetValue(JsonOption) ? RelayProtocol.Json : RelayProtocol.Text,
            Transport = parse.GetValue(UdpOption) ? RelayTransport.Udp : RelayTransport.Tcp,
            Token = parse.GetValue(TokenOption) ?? NullIfEmpty(Environment.GetEnvironmentVariable("RELAY_TOKEN")),
        };
        var nodes = parse.GetValue(NodesOption);
        if (nodes is not null && NodeList.TryParse(nodes, out var list, out _))
            return new NodeList(list, options);
        return new NodeList([(parse.GetValue(HostOption)!, parse.GetValue(PortOption))], options);
    }
}
