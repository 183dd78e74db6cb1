using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using Relay.Testing;

namespace Relay.Host.Tests;

/// <summary>The node's HTTP side over real HTTP and WebSocket: API, metrics, health, token, browser chat.</summary>
public sealed class DashboardHttpTests
{
    private static async Task<NodeProcess> StartNodeAsync(params string[] args) =>
        await NodeProcess.StartAsync(["--dashboard-port", FreePorts.Take(1)[0].ToString(CultureInfo.InvariantCulture), .. args]);

    [Fact]
    public async Task Answers_health_and_readiness_once_the_node_is_up()
    {
        await using var node = await StartNodeAsync();
        using var dashboard = new DashboardClient(node.Dashboard!);

        var (healthStatus, health) = await dashboard.GetJsonAsync("/healthz");
        var (readyStatus, ready) = await dashboard.GetJsonAsync("/readyz");

        Assert.Equal((HttpStatusCode.OK, "ok"), (healthStatus, health.GetProperty("status").GetString()));
        Assert.Equal((HttpStatusCode.OK, "ready"), (readyStatus, ready.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task Is_not_ready_with_a_reason_while_the_node_waits_for_its_seeds()
    {
        var ports = FreePorts.Take(2);
        var port = ports[0].ToString(CultureInfo.InvariantCulture);
        // The only seed is a port nobody listens on: the node never joins a cluster.
        await using var node = TestProcess.StartProject(
            "Relay.Host", "--port", "0", "--cluster-port", "0", "--dashboard-port", port, "--seeds", $"127.0.0.1:{ports[1]}");
        // WaitForAsync polls until the process listens (refused connections count as not yet).
        using var dashboard = new DashboardClient(new Uri($"http://127.0.0.1:{port}/"));

        var ready = await dashboard.WaitForAsync("/healthz", body => body.GetProperty("status").GetString() == "ok", "the process answering health checks");
        var (status, body) = await dashboard.GetJsonAsync("/readyz");
        var (apiStatus, _) = await dashboard.GetJsonAsync("/api/overview");

        Assert.Equal("ok", ready.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("not ready", body.GetProperty("status").GetString());
        Assert.Contains("joining", body.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, apiStatus);
    }

    [Fact]
    public async Task Lists_the_clients_of_every_node_with_their_node_transport_and_traffic()
    {
        await using var cluster = await TestCluster.StartAsync(2, dashboards: true);
        var (a, aId) = await LineSocket.ConnectClientAsync(cluster.Nodes[0].ClientEndpoint);
        var (b, bId) = await LineSocket.ConnectClientAsync(cluster.Nodes[1].ClientEndpoint);
        await using var _a = a;
        await using var _b = b;
        await a.SendAsync($"TO:{bId}:ping\n");
        Assert.Equal($"FROM:{aId}:ping", await b.ReadLineAsync());
        await b.SendAsync("JOIN:dev\n");
        Assert.Equal("OK:JOIN:dev", await b.ReadLineAsync());
        using var dashboard = new DashboardClient(cluster.Nodes[0].Dashboard!);

        var page = await dashboard.WaitForAsync(
            "/api/clients",
            body => body.GetProperty("clients").EnumerateArray().Any(c => c.GetProperty("id").GetInt64() == bId && c.GetProperty("rooms").GetArrayLength() == 1),
            "the other node's client with its room");

        var clients = page.GetProperty("clients").EnumerateArray().ToDictionary(c => c.GetProperty("id").GetInt64());
        Assert.Equal(2, page.GetProperty("total").GetInt64());
        Assert.EndsWith($":{cluster.Nodes[0].ClusterPort}", clients[aId].GetProperty("node").GetString(), StringComparison.Ordinal);
        Assert.EndsWith($":{cluster.Nodes[1].ClusterPort}", clients[bId].GetProperty("node").GetString(), StringComparison.Ordinal);
        Assert.All(clients.Values, c => Assert.Equal(("tcp", "text"), (c.GetProperty("transport").GetString(), c.GetProperty("protocol").GetString())));
        Assert.StartsWith("127.0.0.1:", clients[bId].GetProperty("remote").GetString(), StringComparison.Ordinal);
        Assert.True(clients[aId].GetProperty("messagesIn").GetInt64() >= 1);
        Assert.True(clients[bId].GetProperty("messagesOut").GetInt64() >= 1);
        Assert.Equal(["dev"], clients[bId].GetProperty("rooms").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task Shows_every_member_with_its_clients_and_the_cluster_totals()
    {
        await using var cluster = await TestCluster.StartAsync(2, dashboards: true);
        var (a, _) = await LineSocket.ConnectClientAsync(cluster.Nodes[1].ClientEndpoint);
        await using var _a = a;
        using var dashboard = new DashboardClient(cluster.Nodes[0].Dashboard!);

        var overview = await dashboard.WaitForAsync(
            "/api/overview", body => body.GetProperty("totals").GetProperty("clients").GetInt64() == 1 && body.GetProperty("totals").GetProperty("nodesUp").GetInt32() == 2,
            "both nodes up and the other node's client counted");

        var nodes = overview.GetProperty("nodes").EnumerateArray().ToList();
        Assert.Equal(2, nodes.Count);
        Assert.True(nodes[0].GetProperty("self").GetBoolean());
        Assert.All(nodes, n => Assert.Equal("up", n.GetProperty("status").GetString()));
        var other = nodes.Single(n => !n.GetProperty("self").GetBoolean());
        Assert.Equal(1, other.GetProperty("clients").GetInt32());
        Assert.Equal(cluster.Nodes[1].ClientEndpoint.ToString(), other.GetProperty("clientEndpoint").GetString());
        Assert.True(other.GetProperty("blocks").GetInt32() >= 1);
        Assert.Equal(1, other.GetProperty("transports").GetProperty("tcp").GetInt32());
    }

    [Fact]
    public async Task Pages_clients_from_an_id_with_next()
    {
        await using var node = await StartNodeAsync();
        var clients = new List<LineSocket>();
        try
        {
            for (var i = 0; i < 5; i++)
                clients.Add((await LineSocket.ConnectClientAsync(node.ClientEndpoint)).Socket);
            using var dashboard = new DashboardClient(node.Dashboard!);
            await dashboard.WaitForAsync("/api/clients", body => body.GetProperty("total").GetInt64() == 5, "five clients");

            var (_, first) = await dashboard.GetJsonAsync("/api/clients?limit=2");
            var next = first.GetProperty("next").GetInt64();
            var (_, second) = await dashboard.GetJsonAsync($"/api/clients?from={next}&limit=10");

            var ids = first.GetProperty("clients").EnumerateArray().Concat(second.GetProperty("clients").EnumerateArray()).Select(c => c.GetProperty("id").GetInt64()).ToList();
            Assert.Equal(5, ids.Count);
            Assert.Equal(ids.Order(), ids);
            Assert.Equal(JsonValueKind.Null, second.GetProperty("next").ValueKind);
        }
        finally
        {
            foreach (var client in clients)
                await client.DisposeAsync();
        }
    }

    [Theory]
    [InlineData("/api/clients?limit=0")]
    [InlineData("/api/clients?limit=201")]
    [InlineData("/api/clients?from=-1")]
    [InlineData("/api/rooms?limit=0")]
    [InlineData("/api/clients?from=abc")]
    [InlineData("/api/clients?from=99999999999999999999")]
    [InlineData("/api/clients?limit=1e3")]
    [InlineData("/api/rooms?limit=x")]
    public async Task Refuses_bad_paging_with_a_json_reason(string path)
    {
        await using var node = await StartNodeAsync();
        using var dashboard = new DashboardClient(node.Dashboard!);

        var (status, body) = await dashboard.GetJsonAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("limit", body.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Streams_an_overview_event_every_report_interval()
    {
        await using var node = await StartNodeAsync();
        using var dashboard = new DashboardClient(node.Dashboard!);
        using var response = await dashboard.Http.GetAsync("/api/events", HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var started = Stopwatch.StartNew();

        var events = new List<JsonElement>();
        while (events.Count < 3)
        {
            var line = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(5));
            if (line is not null && line.StartsWith("data: ", StringComparison.Ordinal))
                events.Add(JsonDocument.Parse(line["data: ".Length..]).RootElement.Clone());
        }

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.All(events, e => Assert.Equal("up", e.GetProperty("nodes")[0].GetProperty("status").GetString()));
        // Three events, one at once and one a second: about two seconds, not three at once.
        Assert.InRange(started.Elapsed, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Metrics_count_connections_messages_and_errors_in_valid_prometheus_format()
    {
        await using var node = await StartNodeAsync();
        var (a, aId) = await LineSocket.ConnectClientAsync(node.ClientEndpoint);
        var (b, bId) = await LineSocket.ConnectClientAsync(node.ClientEndpoint);
        await using var _a = a;
        await using var _b = b;
        await a.SendAsync($"TO:{bId}:one\nTO:{bId}:two\nALL:three\nNOPE\n");
        Assert.Equal($"FROM:{aId}:one", await b.ReadLineAsync());
        Assert.Equal($"FROM:{aId}:two", await b.ReadLineAsync());
        Assert.Equal($"ALL:{aId}:three", await b.ReadLineAsync());
        Assert.StartsWith("ERROR:UNKNOWN_COMMAND:", await a.ReadLineAsync(), StringComparison.Ordinal);
        using var dashboard = new DashboardClient(node.Dashboard!);

        var metrics = await dashboard.Http.GetStringAsync("/metrics");

        Assert.Equal(2, DashboardClient.Sample(metrics, "relay_connections{", "transport=\"tcp\""));
        Assert.Equal(2, DashboardClient.Sample(metrics, "relay_messages_sent_total{", "kind=\"one_to_one\""));
        Assert.Equal(1, DashboardClient.Sample(metrics, "relay_messages_sent_total{", "kind=\"broadcast\""));
        Assert.Equal(3, DashboardClient.Sample(metrics, "relay_messages_delivered_total{", ""));
        Assert.Equal(1, DashboardClient.Sample(metrics, "relay_errors_total{", "code=\"UNKNOWN_COMMAND\""));
        Assert.True(DashboardClient.Sample(metrics, "relay_client_received_bytes_total{", "") > 0);
        Assert.Equal(1, DashboardClient.Sample(metrics, "relay_cluster_members{", "status=\"up\""));
        Assert.DoesNotContain($"\"{aId}\"", metrics, StringComparison.Ordinal);
        // Valid exposition, and nothing to lint in the relay's own names (the runtime's dotnet_*_count
        // gauges are .NET's names, which promtool's naming lint dislikes).
        Assert.DoesNotContain(await Promtool.CheckMetricsAsync(metrics), remark => remark.StartsWith("relay_", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Requires_the_token_on_every_http_and_websocket_request_when_one_is_set()
    {
        await using var node = await StartNodeAsync("--dashboard-token", "s3cret-token");
        using var anonymous = new DashboardClient(node.Dashboard!);
        using var wrong = new DashboardClient(node.Dashboard!, "wrong");
        using var holder = new DashboardClient(node.Dashboard!, "s3cret-token");

        foreach (var path in new[] { "/", "/api/overview", "/api/clients", "/api/rooms", "/api/nodes", "/api/events", "/metrics", "/healthz", "/readyz", "/ws" })
        {
            using var refused = await anonymous.Http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
            using var refusedWrong = await wrong.Http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized), (refused.StatusCode, refusedWrong.StatusCode));
        }

        var (status, _) = await holder.GetJsonAsync("/api/overview");
        using var byQuery = await anonymous.Http.GetAsync("/api/overview?token=s3cret-token");
        var socketRefusal = await Assert.ThrowsAsync<WebSocketException>(() => ChatSocket.OpenAsync(node.Dashboard!));
        var (chat, id) = await ChatSocket.ConnectAsync(node.Dashboard!, "s3cret-token");
        await using var _chat = chat;

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (status, byQuery.StatusCode));
        Assert.Contains("401", socketRefusal.Message, StringComparison.Ordinal);
        Assert.True(id > 0);
    }

    [Fact]
    public async Task Refuses_a_host_name_it_was_not_told_about_and_keeps_its_answers_out_of_frames_and_caches()
    {
        await using var node = await StartNodeAsync();
        using var dashboard = new DashboardClient(node.Dashboard!);

        using var rebound = new HttpRequestMessage(HttpMethod.Get, "/api/overview") { Headers = { Host = "attacker.example" } };
        using var refused = await dashboard.Http.SendAsync(rebound);
        using var byName = new HttpRequestMessage(HttpMethod.Get, "/api/overview") { Headers = { Host = $"localhost:{node.Dashboard!.Port}" } };
        using var accepted = await dashboard.Http.SendAsync(byName);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("relay.dashboard.allowed-hosts", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal("DENY", accepted.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("nosniff", accepted.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-store", accepted.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task Refuses_a_websocket_opened_by_a_page_of_another_origin()
    {
        await using var node = await StartNodeAsync();
        using var foreign = new ClientWebSocket();
        foreign.Options.SetRequestHeader("Origin", "http://evil.example");
        using var own = new ClientWebSocket();
        own.Options.SetRequestHeader("Origin", $"http://127.0.0.1:{node.Dashboard!.Port}");
        var ws = new Uri($"ws://127.0.0.1:{node.Dashboard!.Port}/ws");

        var refusal = await Assert.ThrowsAsync<WebSocketException>(() => foreign.ConnectAsync(ws, CancellationToken.None));
        await own.ConnectAsync(ws, CancellationToken.None);

        Assert.Contains("403", refusal.Message, StringComparison.Ordinal);
        Assert.Equal(WebSocketState.Open, own.State);
    }

    [Fact]
    public async Task Refuses_event_streams_beyond_its_limit_and_takes_one_again_when_a_page_closes()
    {
        var config = Path.Combine(Path.GetTempPath(), $"relay-{Guid.NewGuid():N}.conf");
        await File.WriteAllTextAsync(config, "relay.dashboard.max-event-streams = 2\n");
        await using var node = await StartNodeAsync("--config", config);
        using var dashboard = new DashboardClient(node.Dashboard!);

        using var first = await dashboard.Http.GetAsync("/api/events", HttpCompletionOption.ResponseHeadersRead);
        using var second = await dashboard.Http.GetAsync("/api/events", HttpCompletionOption.ResponseHeadersRead);
        var (third, reason) = await dashboard.GetJsonAsync("/api/events");
        first.Dispose();
        var again = await EventuallyOpensAsync(dashboard);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (first.StatusCode, second.StatusCode));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, third);
        Assert.Contains("max-event-streams", reason.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, again);
    }

    private static async Task<HttpStatusCode> EventuallyOpensAsync(DashboardClient dashboard)
    {
        // The node learns that a page went away when its next event cannot be written (a report interval).
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            using var response = await dashboard.Http.GetAsync("/api/events", HttpCompletionOption.ResponseHeadersRead);
            if (response.StatusCode == HttpStatusCode.OK || DateTime.UtcNow > deadline)
                return response.StatusCode;
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task Refuses_a_plain_request_to_the_websocket_endpoint()
    {
        await using var node = await StartNodeAsync();
        using var dashboard = new DashboardClient(node.Dashboard!);

        var (status, body) = await dashboard.GetJsonAsync("/ws");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("WebSocket", body.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serves_the_dashboard_page_and_its_scripts_from_the_node()
    {
        await using var node = await StartNodeAsync();
        using var dashboard = new DashboardClient(node.Dashboard!);

        var page = await dashboard.Http.GetStringAsync("/");

        Assert.Contains("RelayChat", page, StringComparison.Ordinal);
        foreach (var script in System.Text.RegularExpressions.Regex.Matches(page, "src=\"([^\"]+)\"").Select(m => m.Groups[1].Value))
        {
            Assert.DoesNotContain("//", script, StringComparison.Ordinal);
            using var response = await dashboard.Http.GetAsync(script);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }
}
