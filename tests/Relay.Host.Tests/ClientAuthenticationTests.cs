using System.Globalization;
using Relay.Testing;

namespace Relay.Host.Tests;

/// <summary>relay.auth over real sockets: a client's first line must present a configured token.</summary>
public sealed class ClientAuthenticationTests
{
    private const string Token = "tok-4f9a:with colon";

    private static async Task<NodeProcess> StartNodeAsync(string extraHocon = "", params string[] args)
    {
        var config = Path.Combine(Path.GetTempPath(), $"relay-auth-{Guid.NewGuid():N}.conf");
        await File.WriteAllTextAsync(config, $"relay.auth.tokens = [\"{Token}\", \"second-token\"]\n{extraHocon}\n");
        return await NodeProcess.StartAsync(["--config", config, .. args]);
    }

    private static async Task<(LineSocket Socket, long Id)> AuthenticatedAsync(NodeProcess node, string token = Token)
    {
        var socket = await LineSocket.ConnectAsync(node.ClientEndpoint);
        await socket.SendAsync($"AUTH:{token}\n");
        var greeting = await socket.ReadLineAsync();
        Assert.StartsWith("YOUR_ID:", greeting, StringComparison.Ordinal);
        return (socket, long.Parse(greeting["YOUR_ID:".Length..], CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_client_with_a_token_gets_its_id_after_it_and_relays()
    {
        await using var node = await StartNodeAsync();
        var (a, aId) = await AuthenticatedAsync(node);
        var (b, bId) = await AuthenticatedAsync(node, "second-token");
        await using var _a = a;
        await using var _b = b;

        await a.SendAsync($"TO:{bId}:authenticated hello\n");

        Assert.Equal($"FROM:{aId}:authenticated hello", await b.ReadLineAsync());
    }

    [Fact]
    public async Task A_first_line_that_is_not_auth_gets_auth_required_and_the_close_without_an_id()
    {
        await using var node = await StartNodeAsync();
        await using var client = await LineSocket.ConnectAsync(node.ClientEndpoint);

        await client.SendAsync("TO:1:let me in\n");

        Assert.Equal("ERROR:AUTH_REQUIRED:this node requires AUTH:<token> as the first line", await client.ReadLineAsync());
        Assert.True(await client.WaitForCloseAsync());
    }

    [Fact]
    public async Task A_wrong_token_gets_auth_failed_and_the_close()
    {
        await using var node = await StartNodeAsync();
        await using var client = await LineSocket.ConnectAsync(node.ClientEndpoint);

        await client.SendAsync("AUTH:guess\nPING\n");

        Assert.Equal("ERROR:AUTH_FAILED:token not accepted", await client.ReadLineAsync());
        Assert.True(await client.WaitForCloseAsync());
    }

    [Fact]
    public async Task A_client_that_sends_nothing_gets_auth_required_after_the_register_timeout()
    {
        await using var node = await StartNodeAsync("relay.connection.register-timeout = 1s");
        await using var client = await LineSocket.ConnectAsync(node.ClientEndpoint);

        Assert.StartsWith("ERROR:AUTH_REQUIRED:", await client.ReadLineAsync(TimeSpan.FromSeconds(10)), StringComparison.Ordinal);
        Assert.True(await client.WaitForCloseAsync());
    }

    [Fact]
    public async Task Lines_in_the_same_read_as_the_token_are_answered_once_the_client_has_its_id()
    {
        await using var node = await StartNodeAsync();
        var (target, targetId) = await AuthenticatedAsync(node);
        await using var _target = target;
        await using var client = await LineSocket.ConnectAsync(node.ClientEndpoint);

        await client.SendAsync($"AUTH:{Token}\nTO:{targetId}:in the same read\nPING\n");

        var greeting = await client.ReadLineAsync();
        Assert.StartsWith("YOUR_ID:", greeting, StringComparison.Ordinal);
        Assert.Equal("PONG", await client.ReadLineAsync());
        Assert.Equal($"FROM:{greeting["YOUR_ID:".Length..]}:in the same read", await target.ReadLineAsync());
    }

    [Fact]
    public async Task Quit_in_the_same_read_as_the_token_closes_after_the_id()
    {
        await using var node = await StartNodeAsync();
        await using var client = await LineSocket.ConnectAsync(node.ClientEndpoint);

        await client.SendAsync($"AUTH:{Token}\nQUIT\n");

        Assert.StartsWith("YOUR_ID:", await client.ReadLineAsync(), StringComparison.Ordinal);
        Assert.True(await client.WaitForCloseAsync());
    }

    [Fact]
    public async Task A_message_sent_with_the_token_and_a_half_close_still_arrives()
    {
        await using var node = await StartNodeAsync();
        var (target, targetId) = await AuthenticatedAsync(node);
        await using var _target = target;
        await using var client = await LineSocket.ConnectAsync(node.ClientEndpoint);

        await client.SendAsync($"AUTH:{Token}\nTO:{targetId}:then gone\n");
        client.Socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);

        var greeting = await client.ReadLineAsync();
        Assert.Equal($"FROM:{greeting["YOUR_ID:".Length..]}:then gone", await target.ReadLineAsync());
        Assert.True(await client.WaitForCloseAsync());
    }

    [Fact]
    public async Task A_json_client_authenticates_with_an_auth_object_and_is_greeted_in_json()
    {
        await using var node = await StartNodeAsync();
        await using var client = await LineSocket.ConnectAsync(node.ClientEndpoint);

        await client.SendAsync($$"""{"op":"auth","token":"{{Token}}"}""" + "\n{\"op\":\"ping\",\"ref\":\"p\"}\n");

        Assert.StartsWith("{\"op\":\"hello\",\"id\":", await client.ReadLineAsync(), StringComparison.Ordinal);
        Assert.Equal("{\"op\":\"pong\",\"ref\":\"p\"}", await client.ReadLineAsync());
    }

    [Fact]
    public async Task A_browser_chat_client_authenticates_with_its_first_message()
    {
        var port = FreePorts.Take(1)[0].ToString(CultureInfo.InvariantCulture);
        await using var node = await StartNodeAsync("", "--dashboard-port", port);
        await using var chat = await ChatSocket.OpenAsync(node.Dashboard!);

        await chat.SendAsync($$"""{"op":"auth","token":"{{Token}}"}""");

        Assert.Equal("hello", (await chat.ReceiveAsync()).GetProperty("op").GetString());
    }

    [Fact]
    public async Task Reads_tokens_from_a_file()
    {
        var tokens = Path.GetTempFileName();
        await File.WriteAllTextAsync(tokens, "# one per line\n\nfile-token-1\n");
        var config = Path.Combine(Path.GetTempPath(), $"relay-auth-{Guid.NewGuid():N}.conf");
        await File.WriteAllTextAsync(config, $"relay.auth.tokens-file = \"{tokens}\"\n");
        await using var node = await NodeProcess.StartAsync("--config", config);

        var (client, _) = await AuthenticatedAsync(node, "file-token-1");
        await client.DisposeAsync();
    }

    [Fact]
    public async Task Refuses_to_start_with_tokens_and_udp_with_one_clear_line()
    {
        var config = Path.Combine(Path.GetTempPath(), $"relay-auth-{Guid.NewGuid():N}.conf");
        await File.WriteAllTextAsync(config, "relay.auth.tokens = [\"t\"]\n");
        await using var node = TestProcess.StartProject("Relay.Host", "--port", "0", "--cluster-port", "0", "--dashboard-port", "0", "--udp-port", "0", "--config", config);

        Assert.Equal(1, await node.WaitForExitAsync());
        Assert.StartsWith("relay: relay.auth has tokens and UDP is on", node.Transcript, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("--json")]
    public async Task The_console_client_presents_its_token_and_chats(string protocol)
    {
        await using var node = await StartNodeAsync();
        var (target, targetId) = await AuthenticatedAsync(node);
        await using var _target = target;
        string[] args = ["--port", node.ClientEndpoint.Port.ToString(CultureInfo.InvariantCulture), "--token", Token, .. protocol.Length > 0 ? new[] { protocol } : [], "send", "--to", targetId.ToString(CultureInfo.InvariantCulture), "with a token"];
        await using var client = TestProcess.StartProject("Relay.Client", args);

        Assert.Equal(0, await client.WaitForExitAsync());
        Assert.EndsWith(":with a token", await target.ReadLineAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_console_client_says_why_when_its_token_is_refused()
    {
        await using var node = await StartNodeAsync();
        await using var client = TestProcess.StartProject(
            "Relay.Client", "--port", node.ClientEndpoint.Port.ToString(CultureInfo.InvariantCulture), "--token", "wrong", "send", "--to", "1", "x");

        Assert.Equal(1, await client.WaitForExitAsync());
        Assert.Contains("the node refused the token: ERROR:AUTH_FAILED:token not accepted", client.Transcript, StringComparison.Ordinal);
    }
}
