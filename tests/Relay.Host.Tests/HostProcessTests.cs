using Relay.Testing;

namespace Relay.Host.Tests;

/// <summary>Relay.Host as a user runs it: a real process, its output, its signals, its exit code.</summary>
public sealed class HostProcessTests
{
    [Fact]
    public async Task Relays_between_clients_of_a_node_started_from_the_command_line()
    {
        await using var node = await NodeProcess.StartAsync();
        var (a, aId) = await LineSocket.ConnectClientAsync(node.ClientEndpoint);
        var (b, bId) = await LineSocket.ConnectClientAsync(node.ClientEndpoint);
        await using var _a = a;
        await using var _b = b;

        await a.SendAsync($"TO:{bId}:over a real process\n");

        Assert.Equal($"FROM:{aId}:over a real process", await b.ReadLineAsync());
        Assert.Equal("127.0.0.1", node.ClientEndpoint.Address.ToString());
    }

    [Fact]
    public async Task Exits_zero_on_sigterm_and_closes_its_clients()
    {
        await using var node = await NodeProcess.StartAsync();
        var (client, _) = await LineSocket.ConnectClientAsync(node.ClientEndpoint);
        await using var _client = client;

        node.Process.Terminate();

        Assert.Equal(0, await node.Process.WaitForExitAsync());
        Assert.True(await client.WaitForCloseAsync(), "the client's connection stayed open");
    }

    [Fact]
    public async Task Reads_overrides_from_a_config_file()
    {
        var config = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(config, "relay.connection.max-line-bytes = 16\n");
            await using var node = await NodeProcess.StartAsync("--config", config);
            var (a, _) = await LineSocket.ConnectClientAsync(node.ClientEndpoint);
            await using var _a = a;

            await a.SendAsync("TO:1:this line is longer than sixteen bytes\n");

            Assert.Equal("ERROR:TOO_LONG:line longer than 16 bytes discarded", await a.ReadLineAsync());
        }
        finally
        {
            File.Delete(config);
        }
    }

    [Fact]
    public async Task Refuses_a_host_name_in_a_config_file_with_one_clear_line_and_exit_code_1()
    {
        var config = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(config, "relay.client-endpoint.host = \"localhost\"\n");
            await using var node = TestProcess.StartProject("Relay.Host", "--port", "0", "--dashboard-port", "0", "--cluster-port", "0", "--config", config);

            Assert.Equal(1, await node.WaitForExitAsync());
            Assert.Equal(
                "relay: relay.client-endpoint.host must be an IP address to listen on (e.g. 127.0.0.1, or 0.0.0.0 for every interface), not \"localhost\".",
                node.Transcript);
        }
        finally
        {
            File.Delete(config);
        }
    }

    [Fact]
    public async Task Refuses_a_port_in_use_with_one_clear_line_and_exit_code_1()
    {
        await using var first = await NodeProcess.StartAsync();
        await using var second = TestProcess.StartProject("Relay.Host", "--port", first.ClientEndpoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(1, await second.WaitForExitAsync());
        // Checked before the node starts: one clear line, no transport's stack trace before it.
        Assert.Equal(
            $"relay: Cannot listen on 127.0.0.1:{first.ClientEndpoint.Port}: Address already in use. Is another node using the port? Choose another with --port.",
            second.Transcript);
    }

    [Fact]
    public async Task Starts_with_three_plain_lines_and_no_warning()
    {
        await using var node = await NodeProcess.StartAsync();
        await node.Process.WaitForLineAsync(l => l.StartsWith("at most ", StringComparison.Ordinal), what: "the connection limit line");
        // A client gets its id: the id allocator singleton was found, and would have been warned about by now.
        var (client, _) = await LineSocket.ConnectClientAsync(node.ClientEndpoint);
        await client.DisposeAsync();

        var lines = node.Process.Transcript.Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("RelayChat node listening on 127.0.0.1:", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("cluster member akka.tcp://relay@127.0.0.1:", lines[1], StringComparison.Ordinal);
        Assert.Matches(@"^at most \d+ clients at once \(relay.client-endpoint.max-connections\)$", lines[2]);
    }

    [Fact]
    public async Task Shows_Akkas_info_lines_with_log_level_info()
    {
        await using var node = await NodeProcess.StartAsync("--log-level", "info");

        // The console logger writes from its own queue: the line may come before the listening line
        // (already read while the node started) or after it.
        static bool FromListener(string l) => l.Contains(" info: Relay.Actors.TcpTransport.RelayListener", StringComparison.Ordinal);
        var line = node.Process.Transcript.Split('\n').FirstOrDefault(FromListener)
            ?? await node.Process.WaitForLineAsync(FromListener, what: "the listener's info line");

        Assert.Contains("Listening for clients on 127.0.0.1:", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refuses_a_cluster_port_another_node_listens_on()
    {
        await using var first = await NodeProcess.StartAsync();
        var port = first.ClusterPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using var second = TestProcess.StartProject("Relay.Host", "--port", "0", "--dashboard-port", "0", "--cluster-port", port);

        Assert.Equal(1, await second.WaitForExitAsync());
        Assert.Equal(
            $"relay: Cluster port 127.0.0.1:{port} is in use by another process (another node?). Give each node on one machine its own --cluster-port (0 picks a free one).",
            second.Transcript);
    }

    [Fact]
    public async Task Refuses_a_cluster_port_any_other_process_listens_on()
    {
        using var holder = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        holder.Start();
        var port = ((System.Net.IPEndPoint)holder.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using var node = TestProcess.StartProject("Relay.Host", "--port", "0", "--dashboard-port", "0", "--cluster-port", port);

        Assert.Equal(1, await node.WaitForExitAsync());
        Assert.Contains($"Cluster port 127.0.0.1:{port} is in use", node.Transcript);
    }

    [Theory]
    [InlineData("--port", "70000", "relay: --port must be a port number 0-65535, got '70000'. (see --help)")]
    [InlineData("--port", "abc", "relay: --port must be a port number 0-65535, got 'abc'. (see --help)")]
    [InlineData("--port", "12x", "relay: --port must be a port number 0-65535, got '12x'. (see --help)")]
    [InlineData("--port", "-1", "relay: --port must be a port number 0-65535, got '-1'. (see --help)")]
    [InlineData("--udp-port", "65536", "relay: --udp-port must be a port number 0-65535, got '65536'. (see --help)")]
    [InlineData("--cluster-port", "abc", "relay: --cluster-port must be a port number 0-65535, got 'abc'. (see --help)")]
    [InlineData("--host", "not-an-address", "relay: --host must be an IP address, got 'not-an-address'. (see --help)")]
    [InlineData("--seeds", "nope", "relay: --seeds takes host:port pairs, got 'nope'. (see --help)")]
    [InlineData("--config", "/no/such/file.conf", "relay: File does not exist: '/no/such/file.conf'. (see --help)")]
    [InlineData("--bogus", "x", "relay: Unrecognized command or argument '--bogus'. (see --help)")]
    [InlineData("--log-level", "loud", "relay: --log-level must be one of debug, info, warning, error, got 'loud'. (see --help)")]
    public async Task Refuses_each_bad_option_with_one_line_and_the_usage_exit_code(string option, string value, string expected)
    {
        await using var host = TestProcess.StartProject("Relay.Host", option, value);

        Assert.Equal(2, await host.WaitForExitAsync());
        Assert.Equal(expected, host.Transcript);
    }

    [Fact]
    public async Task Documents_every_option_in_help_as_the_README_lists_them()
    {
        var readme = await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "README.md"));
        var documented = System.Text.RegularExpressions.Regex.Matches(readme, @"^\| `(--[a-z-]+)` \|", System.Text.RegularExpressions.RegexOptions.Multiline)
            .Select(match => match.Groups[1].Value).ToList();
        await using var host = TestProcess.StartProject("Relay.Host", "--help");

        Assert.Equal(0, await host.WaitForExitAsync());
        var inHelp = System.Text.RegularExpressions.Regex.Matches(host.Transcript, @"^\s+(--[a-z-]+)\b", System.Text.RegularExpressions.RegexOptions.Multiline)
            .Select(match => match.Groups[1].Value).Except(["--help", "--version"]).ToList();
        Assert.Equal(
            ["--host", "--port", "--udp-port", "--config", "--cluster-port", "--seeds", "--public-host", "--log-level", "--dashboard-port", "--dashboard-token"],
            inHelp);
        Assert.Equal(inHelp.Order(), documented.Order());
    }

    [Fact]
    public async Task Prints_where_it_listens_for_UDP_when_given_a_UDP_port()
    {
        await using var node = await NodeProcess.StartAsync("--udp-port", "0");

        Assert.NotNull(node.UdpEndpoint);
        Assert.Equal("127.0.0.1", node.UdpEndpoint.Address.ToString());
        var (client, _) = await DatagramSocket.HelloAsync(node.UdpEndpoint);
        client.Dispose();
    }
}
