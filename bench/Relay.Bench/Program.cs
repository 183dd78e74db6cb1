using System.CommandLine;
using System.Net;
using Relay.Bench;

var nodesOption = new Option<string>("--nodes")
{
    Description = "Client endpoints of the node(s), host:port[,host:port...]; loopback only. Clients are spread round-robin.",
    DefaultValueFactory = _ => "127.0.0.1:9999",
    Recursive = true,
};
var formatOption = new Option<string>("--format")
{
    Description = "How to print the figures: table, or json (one JSON line, for scripts).",
    DefaultValueFactory = _ => "table",
    Recursive = true,
};
formatOption.AcceptOnlyFromAmong("table", "json");
var serverOption = new Option<string>("--server")
{
    Description = "What --nodes are: relay (RelayChat), or redis / nats: their pub/sub, loaded by the same workload (throughput, latency, conns, fanout) "
        + "with a channel (subject) per client, to be measured side by side.",
    DefaultValueFactory = _ => "relay",
    Recursive = true,
};
serverOption.AcceptOnlyFromAmong("relay", "redis", "nats");
var jsonProtocolOption = new Option<bool>("--json") { Description = "Clients speak the JSON protocol ({\"op\":\"to\",…} lines) instead of text lines." };
var udpOption = new Option<bool>("--udp")
{
    Description = "Clients send datagrams, one command each, to --nodes, which are then the nodes' UDP endpoints (Relay.Host --udp-port). Loss is reported.",
};
var limitOption = new Option<double>("--limit")
{
    Description = "Hard limit on the run in seconds; the run stops by itself then, finished or not.",
    DefaultValueFactory = _ => 300,
    Recursive = true,
};
var clientsOption = new Option<int>("--clients") { Description = "Clients (an even number; they pair up).", DefaultValueFactory = _ => 100 };
var messagesOption = new Option<int>("--messages") { Description = "Messages each client sends.", DefaultValueFactory = _ => 20_000 };
var payloadOption = new Option<int>("--payload") { Description = "Message size in bytes.", DefaultValueFactory = _ => 64 };
var windowOption = new Option<int?>("--window") { Description = "Messages in flight per sender at most (default 256; over UDP 32, within the node's 64 queued datagrams per client)." };
var rateOption = new Option<int>("--rate") { Description = "Total messages per second.", DefaultValueFactory = _ => 10_000 };
var secondsOption = new Option<double>("--seconds") { Description = "How long to send.", DefaultValueFactory = _ => 10 };
var latencyClientsOption = new Option<int>("--clients") { Description = "Clients (an even number; they pair up).", DefaultValueFactory = _ => 10 };
var countOption = new Option<int>("--count") { Description = "Idle connections to open.", DefaultValueFactory = _ => 10_000 };
var concurrencyOption = new Option<int>("--concurrency") { Description = "Connects in progress at once.", DefaultValueFactory = _ => 100 };
var receiversOption = new Option<int>("--receivers") { Description = "Clients that receive (they join one room).", DefaultValueFactory = _ => 100 };
var fanoutMessagesOption = new Option<int>("--messages") { Description = "Messages the sender sends.", DefaultValueFactory = _ => 2_000 };
var fanoutWindowOption = new Option<int>("--window") { Description = "Messages the sender may be ahead of the slowest receiver.", DefaultValueFactory = _ => 64 };
var broadcastOption = new Option<bool>("--broadcast") { Description = "Send ALL: broadcasts instead of room messages (use nodes with no other clients)." };
var pidOption = new Option<int?>("--pid") { Description = "The node's process id, to read its memory from /proc (single node)." };

var throughput = new Command("throughput", "Clients in fixed pairs send M messages each, at most W in flight: delivered msgs/s.")
{
    clientsOption, messagesOption, payloadOption, windowOption, jsonProtocolOption, udpOption,
};
throughput.SetAction(parse => Run(parse, options => new ThroughputWorkload(options,
    parse.GetValue(clientsOption), parse.GetValue(messagesOption), parse.GetValue(payloadOption),
    parse.GetValue(windowOption) ?? (options.Udp ? 32 : 256)).RunAsync()));

var latency = new Command("latency", "Open loop at a fixed rate: latency percentiles and whether the rate held.")
{
    latencyClientsOption, rateOption, secondsOption, payloadOption, jsonProtocolOption, udpOption,
};
latency.SetAction(parse => Run(parse, options => new LatencyWorkload(options,
    parse.GetValue(latencyClientsOption), parse.GetValue(rateOption), TimeSpan.FromSeconds(parse.GetValue(secondsOption)), parse.GetValue(payloadOption)).RunAsync()));

var conns = new Command("conns", "K idle clients: connects/s and the node's memory per connection.")
{
    countOption, concurrencyOption, pidOption,
};
conns.SetAction(parse => Run(parse, options => new ConnectionsWorkload(options,
    parse.GetValue(countOption), parse.GetValue(concurrencyOption), parse.GetValue(pidOption)).RunAsync()));

var fanout = new Command("fanout", "One sender to a room of K receivers (or broadcast): deliveries/s, latency, order.")
{
    receiversOption, fanoutMessagesOption, payloadOption, fanoutWindowOption, broadcastOption,
};
fanout.SetAction(parse => Run(parse, options => new FanoutWorkload(options,
    parse.GetValue(receiversOption), parse.GetValue(fanoutMessagesOption), parse.GetValue(payloadOption),
    parse.GetValue(fanoutWindowOption), parse.GetValue(broadcastOption)).RunAsync()));

var failoverClientsOption = new Option<int>("--clients") { Description = "Clients, each with every node in its list (as Relay.Client --nodes).", DefaultValueFactory = _ => 300 };
var failoverRateOption = new Option<int>("--rate") { Description = "Total messages per second, all clients together.", DefaultValueFactory = _ => 1_500 };
var failoverSecondsOption = new Option<double>("--seconds") { Description = "Send for at most this long.", DefaultValueFactory = _ => 120 };
var untilFileOption = new Option<string?>("--until-file") { Description = "Stop sending as soon as this file exists (scripts/faults.sh creates it when its restarts are done)." };
var failover = new Command("failover", "Clients that fail over between the nodes chat with receipts while the nodes are restarted from outside; every message is accounted for.")
{
    failoverClientsOption, failoverRateOption, failoverSecondsOption, untilFileOption,
};
failover.SetAction(parse => Run(parse, options => new FailoverWorkload(options,
    parse.GetValue(failoverClientsOption), parse.GetValue(failoverRateOption), TimeSpan.FromSeconds(parse.GetValue(failoverSecondsOption)),
    parse.GetValue(untilFileOption)).RunAsync(), peers: false));

var stormClientsOption = new Option<int>("--clients") { Description = "Clients on the victim node (an even number).", DefaultValueFactory = _ => 5_000 };
var victimOption = new Option<int>("--victim") { Description = "Which of --nodes is killed (0-based).", DefaultValueFactory = _ => 0 };
var victimPidOption = new Option<int>("--victim-pid") { Description = "The victim node's process id: the tool kills it (SIGKILL) once every client is connected.", Required = true };
var storm = new Command("storm", "K clients on one node, which is then killed: how long until all have new ids on the others.")
{
    stormClientsOption, victimOption, victimPidOption, concurrencyOption,
};
storm.SetAction(parse => Run(parse, options => new StormWorkload(options,
    parse.GetValue(stormClientsOption), parse.GetValue(victimOption), parse.GetValue(victimPidOption), parse.GetValue(concurrencyOption)).RunAsync(), peers: false));

var soakClientsOption = new Option<int>("--clients") { Description = "Long-lived clients chatting one-to-one with receipts, failing over between the nodes.", DefaultValueFactory = _ => 60 };
var soakRateOption = new Option<int>("--rate") { Description = "Their messages per second, all together.", DefaultValueFactory = _ => 300 };
var soakSecondsOption = new Option<double>("--seconds") { Description = "Traffic for this long in all (sampling pauses included).", DefaultValueFactory = _ => 600 };
var warmupOption = new Option<double>("--warmup") { Description = "Seconds of traffic before the first sample (and before a restarted node's own).", DefaultValueFactory = _ => 60 };
var settleOption = new Option<double>("--settle") { Description = "Quiet seconds between stopping traffic and a sample.", DefaultValueFactory = _ => 10 };
var restartAtOption = new Option<double?>("--restart-at") { Description = "Seconds into the run to ask for a node restart (default: halfway; 0: none)." };
var churnRateOption = new Option<double>("--churn-rate") { Description = "Short-lived clients per second: connect, act, leave by QUIT, FIN or RST.", DefaultValueFactory = _ => 5 };
var roomsOption = new Option<int>("--rooms") { Description = "Rooms with long-lived members in lockstep rounds.", DefaultValueFactory = _ => 4 };
var roomMembersOption = new Option<int>("--room-members") { Description = "Members per room.", DefaultValueFactory = _ => 5 };
var pidsOption = new Option<string>("--pids") { Description = "The nodes' process ids, in the order of --nodes.", Required = true };
var dashboardsOption = new Option<string>("--dashboards") { Description = "The nodes' dashboard endpoints (ip:port, for /metrics), in the order of --nodes.", Required = true };
var controlOption = new Option<string>("--control-dir") { Description = "Directory where the script reports the restart it was asked for (file 'restarted': '<node number> <pid>').", Required = true };
var soak = new Command("soak", "A bounded soak of a running cluster: steady chat, churn, rooms and a node restart; samples each node and fails on growth (scripts/soak.sh).")
{
    soakClientsOption, soakRateOption, soakSecondsOption, warmupOption, settleOption, restartAtOption, churnRateOption, roomsOption, roomMembersOption,
    pidsOption, dashboardsOption, controlOption,
};
soak.SetAction(parse => Run(parse, options =>
{
    var seconds = parse.GetValue(soakSecondsOption);
    var restartAt = parse.GetValue(restartAtOption) ?? seconds / 2;
    var pids = parse.GetValue(pidsOption)!.Split(',', StringSplitOptions.TrimEntries)
        .Select(p => int.TryParse(p, System.Globalization.CultureInfo.InvariantCulture, out var pid) ? pid : throw new ArgumentException($"--pids: '{p}' is not a process id"))
        .ToArray();
    var dashboards = parse.GetValue(dashboardsOption)!.Split(',', StringSplitOptions.TrimEntries)
        .Select(d => IPEndPoint.TryParse(d, out var endpoint) && IPAddress.IsLoopback(endpoint.Address) && endpoint.Port != 0
            ? endpoint
            : throw new ArgumentException($"--dashboards: '{d}' is not a loopback ip:port"))
        .ToArray();
    var plan = new SoakPlan(parse.GetValue(soakClientsOption), parse.GetValue(soakRateOption), TimeSpan.FromSeconds(seconds),
        TimeSpan.FromSeconds(parse.GetValue(warmupOption)), TimeSpan.FromSeconds(parse.GetValue(settleOption)),
        restartAt > 0 ? TimeSpan.FromSeconds(restartAt) : null, parse.GetValue(churnRateOption), parse.GetValue(roomsOption),
        parse.GetValue(roomMembersOption), TimeSpan.FromSeconds(1), pids, dashboards, parse.GetValue(controlOption)!);
    return new SoakWorkload(options, plan).RunAsync();
}, peers: false));

var root = new RootCommand("RelayChat load generator. Every run is bounded in count and time and talks only to the given loopback nodes.")
{
    nodesOption, formatOption, limitOption, serverOption, throughput, latency, conns, fanout, failover, storm, soak,
};
return await root.Parse(args).InvokeAsync();

// peers: the workload can load Redis and NATS too (--server); failover and storm are RelayChat's alone.
async Task<int> Run(ParseResult parse, Func<BenchOptions, Task<BenchResult>> workload, bool peers = true)
{
    var server = parse.GetValue(serverOption) switch
    {
        "redis" => BenchServer.Redis,
        "nats" => BenchServer.Nats,
        _ => BenchServer.Relay,
    };
    if (server != BenchServer.Relay && !peers)
    {
        Console.Error.WriteLine($"relay-bench: {parse.CommandResult.Command.Name} loads RelayChat nodes only, not --server {parse.GetValue(serverOption)}");
        return 2;
    }

    var nodes = new List<IPEndPoint>();
    foreach (var text in parse.GetValue(nodesOption)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
    {
        if (!IPEndPoint.TryParse(text, out var endpoint) || endpoint.Port == 0)
        {
            Console.Error.WriteLine($"relay-bench: '{text}' is not ip:port");
            return 2;
        }

        if (!IPAddress.IsLoopback(endpoint.Address))
        {
            Console.Error.WriteLine($"relay-bench: {endpoint} is not a loopback address; this tool loads only nodes on this machine");
            return 2;
        }

        nodes.Add(endpoint);
    }

    var json = parse.GetValue(formatOption) == "json";
    // --json and --udp exist on the workloads that speak them (throughput, latency).
    var options = new BenchOptions(nodes, TimeSpan.FromSeconds(parse.GetValue(limitOption)), Progress: !json && !Console.IsErrorRedirected,
        Json: parse.GetValue(jsonProtocolOption), Udp: parse.GetValue(udpOption), Server: server);
    try
    {
        var result = await workload(options);
        if (options.Progress)
            Console.Error.WriteLine();
        Console.WriteLine(json ? result.ToJson() : result.ToTable());
        return result.Completed ? 0 : 1;
    }
    catch (Exception error) when (error is ArgumentException or System.Net.Sockets.SocketException or IOException or OperationCanceledException)
    {
        Console.Error.WriteLine($"relay-bench: {error.Message}");
        return 1;
    }
}
