using Relay.Testing;

namespace Relay.Actors.Tests.TcpTransport;

/// <summary>A node that lets one address hold at most two clients.</summary>
public sealed class PerAddressLimitTests : IAsyncLifetime
{
    private RelayNode _node = null!;

    public async Task InitializeAsync() => _node = await TestNode.StartAsync("relay.client-endpoint.max-connections-per-address = 2");

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task A_client_over_its_addresss_limit_gets_SERVER_FULL_and_the_others_are_unaffected()
    {
        var (first, firstId) = await LineSocket.ConnectClientAsync(_node.ClientEndpoint);
        await using var _1 = first;
        var (second, _) = await LineSocket.ConnectClientAsync(_node.ClientEndpoint);
        await using var _2 = second;

        await using var third = await LineSocket.ConnectAsync(_node.ClientEndpoint);
        Assert.Equal("ERROR:SERVER_FULL:at most 2 clients may connect from one address; close one first", await third.ReadLineAsync());
        Assert.True(await third.WaitForCloseAsync());

        await second.SendAsync($"TO:{firstId}:still here\n");
        Assert.Equal($"FROM:{firstId + 1}:still here", await first.ReadLineAsync());
    }

    [Fact]
    public async Task An_address_may_connect_again_once_one_of_its_clients_left()
    {
        var (first, _) = await LineSocket.ConnectClientAsync(_node.ClientEndpoint);
        var (second, _) = await LineSocket.ConnectClientAsync(_node.ClientEndpoint);
        await using var _2 = second;

        await first.SendAsync("QUIT\n");
        Assert.True(await first.WaitForCloseAsync());
        await first.DisposeAsync();

        // The listener hears of the closed connection a moment after the client does.
        var greetings = new List<string>();
        for (var attempt = 0; attempt < 100 && !greetings.LastOrDefault("").StartsWith("YOUR_ID:", StringComparison.Ordinal); attempt++)
        {
            await using var third = await LineSocket.ConnectAsync(_node.ClientEndpoint);
            greetings.Add(await third.ReadLineAsync());
            await Task.Delay(TimeSpan.FromMilliseconds(50 * Math.Min(attempt, 4)));
        }

        Assert.StartsWith("YOUR_ID:", greetings[^1]);
        Assert.All(greetings[..^1], refused => Assert.StartsWith("ERROR:SERVER_FULL:", refused));
    }
}
