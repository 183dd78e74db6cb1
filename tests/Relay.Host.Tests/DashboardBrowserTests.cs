using Microsoft.Playwright;
using Relay.Testing;

namespace Relay.Host.Tests;

/// <summary>
/// The dashboard in a real headless Chromium (Debian's, driven by Playwright) against two real
/// clustered nodes: the page follows the cluster live, and its chat talks with TCP clients.
/// </summary>
public sealed class DashboardBrowserTests : IAsyncLifetime
{
    private const string Chromium = "/usr/bin/chromium";
    private static readonly string Screenshots = Path.Combine(RepositoryPaths.Root, "TestResults", "screenshots");

    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(Chromium))
            throw new InvalidOperationException($"{Chromium} is missing: ./scripts/test.sh installs it (apt-get install -y chromium)");
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }

    [Fact]
    public async Task Shows_clients_of_both_nodes_follows_a_disconnect_and_moving_rates_without_reload()
    {
        await using var cluster = await TestCluster.StartAsync(2, dashboards: true);
        var (a, aId) = await LineSocket.ConnectClientAsync(cluster.Nodes[0].ClientEndpoint);
        var (b, bId) = await LineSocket.ConnectClientAsync(cluster.Nodes[1].ClientEndpoint);
        await using var _a = a;
        var page = await OpenAsync(cluster.Nodes[0].Dashboard!);

        var rowA = page.Locator($"#clients-table tbody tr[data-id=\"{aId}\"]");
        var rowB = page.Locator($"#clients-table tbody tr[data-id=\"{bId}\"]");
        await Assertions.Expect(rowA).ToBeVisibleAsync();
        await Assertions.Expect(rowB).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#nodes-table tbody tr[data-address]")).ToHaveCountAsync(2);
        await Assertions.Expect(rowB.Locator("[data-col=\"node\"]")).ToContainTextAsync($":{cluster.Nodes[1].ClusterPort}");
        await Assertions.Expect(rowA.Locator("[data-col=\"transport\"]")).ToHaveTextAsync("tcp");

        // Traffic: the rate tiles move while messages flow (bounded: at most 20 s of sending).
        var sending = SendForAWhileAsync(a, bId, b, TimeSpan.FromSeconds(20));
        await page.WaitForFunctionAsync("() => +document.querySelector('#rate-in').dataset.value > 0", null, new() { Timeout = 15_000 });
        await page.WaitForFunctionAsync("() => +document.querySelector('#rate-out').dataset.value > 0", null, new() { Timeout = 15_000 });
        await sending;

        await b.DisposeAsync();
        await Assertions.Expect(rowB).ToHaveCountAsync(0, new() { Timeout = 15_000 });
        await Assertions.Expect(rowA).ToBeVisibleAsync();
        await SaveScreenshotAsync(page, "dashboard-two-nodes.png");
    }

    [Fact]
    public async Task The_page_chat_and_a_tcp_client_talk_both_ways()
    {
        await using var cluster = await TestCluster.StartAsync(2, dashboards: true);
        var (tcp, tcpId) = await LineSocket.ConnectClientAsync(cluster.Nodes[1].ClientEndpoint);
        await using var _tcp = tcp;
        var page = await OpenAsync(cluster.Nodes[0].Dashboard!);

        await page.ClickAsync("#chat-connect");
        await page.WaitForFunctionAsync("() => /^\\d+$/.test(document.querySelector('#chat-id').textContent)");
        var chatId = long.Parse(await page.TextContentAsync("#chat-id") ?? "", System.Globalization.CultureInfo.InvariantCulture);

        await page.FillAsync("#chat-to", tcpId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.FillAsync("#chat-text", "hello from the browser 안녕");
        await page.ClickAsync("#chat-send");
        Assert.Equal($"FROM:{chatId}:hello from the browser 안녕", await tcp.ReadLineAsync());

        await tcp.SendAsync($"TO:{chatId}:hello back <b>not bold</b>\n");
        var from = page.Locator("#chat-log li[data-op=\"from\"]");
        await Assertions.Expect(from).ToContainTextAsync($"from {tcpId}: hello back <b>not bold</b>");

        await tcp.SendAsync("ALL:to everyone\n");
        await Assertions.Expect(page.Locator("#chat-log li[data-op=\"all\"]")).ToContainTextAsync("to everyone");
        await page.FillAsync("#chat-room", "dev");
        await page.ClickAsync("#chat-join");
        await Assertions.Expect(page.Locator("#chat-log li[data-op=\"ok\"]")).ToContainTextAsync("dev");
        await SaveScreenshotAsync(page, "dashboard-chat.png");
    }

    [Fact]
    public async Task Opens_with_the_token_in_its_address_when_the_node_requires_one()
    {
        var port = FreePorts.Take(1)[0].ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using var node = await NodeProcess.StartAsync("--dashboard-port", port, "--dashboard-token", "page-token");
        var (client, id) = await LineSocket.ConnectClientAsync(node.ClientEndpoint);
        await using var _client = client;

        var refused = await _browser.NewPageAsync();
        await refused.GotoAsync(node.Dashboard!.ToString());
        var page = await OpenAsync(new Uri(node.Dashboard!, "/?token=page-token"));

        Assert.Contains("token", await refused.ContentAsync(), StringComparison.Ordinal);
        await Assertions.Expect(page.Locator($"#clients-table tbody tr[data-id=\"{id}\"]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#live-state")).ToHaveTextAsync("live");
    }

    [Fact]
    public async Task The_page_chat_presents_a_client_token_to_a_node_that_requires_one()
    {
        var port = FreePorts.Take(1)[0].ToString(System.Globalization.CultureInfo.InvariantCulture);
        var config = Path.Combine(Path.GetTempPath(), $"relay-{Guid.NewGuid():N}.conf");
        await File.WriteAllTextAsync(config, "relay.auth.tokens = [\"client-token\"]\n");
        await using var node = await NodeProcess.StartAsync("--dashboard-port", port, "--config", config);
        var page = await OpenAsync(node.Dashboard!);

        await page.FillAsync("#chat-token", "client-token");
        await page.ClickAsync("#chat-connect");

        await page.WaitForFunctionAsync("() => /^\\d+$/.test(document.querySelector('#chat-id').textContent)");
    }

    private async Task<IPage> OpenAsync(Uri address)
    {
        var page = await _browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);
        await page.GotoAsync(address.ToString());
        await Assertions.Expect(page.Locator("#live-state")).ToHaveTextAsync("live", new() { Timeout = 15_000 });
        Assert.Empty(errors);
        return page;
    }

    private static async Task SendForAWhileAsync(LineSocket sender, long targetId, LineSocket target, TimeSpan most)
    {
        // Three seconds of 100 messages a second: more than two reports see traffic.
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(Math.Min(3, most.TotalSeconds));
        var sent = 0;
        while (DateTime.UtcNow < until && sent < 1000)
        {
            await sender.SendAsync($"TO:{targetId}:tick {sent}\n");
            await target.ReadLineAsync();
            sent++;
            await Task.Delay(10);
        }
    }

    private static async Task SaveScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(Screenshots);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, name), FullPage = true });
    }
}
