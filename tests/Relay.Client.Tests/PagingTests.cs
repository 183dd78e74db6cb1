using System.Globalization;
using Relay.Testing;

namespace Relay.Client.Tests;

/// <summary>A real node whose lists come two items a page, so paging shows with a handful of clients.</summary>
public sealed class SmallPagesNodeFixture : IAsyncLifetime
{
    private readonly string _config = Path.Combine(Path.GetTempPath(), $"relay-small-pages-{Guid.NewGuid():N}.conf");

    public NodeProcess Node { get; private set; } = null!;

    public string Host => Node.ClientEndpoint.Address.ToString();

    public int Port => Node.ClientEndpoint.Port;

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(_config, "relay.connection.list-page-size = 2\n");
        Node = await NodeProcess.StartAsync("--config", _config);
    }

    public async Task DisposeAsync()
    {
        await Node.DisposeAsync();
        File.Delete(_config);
    }
}

/// <summary>WHO, MEMBERS and ROOMS a page at a time, through the library and the console.</summary>
public sealed class PagingTests(SmallPagesNodeFixture fixture) : IClassFixture<SmallPagesNodeFixture>
{
    [Fact]
    public async Task Who_pages_list_every_client_once_in_ascending_order()
    {
        var clients = await ConnectAsync(5);
        try
        {
            var asker = clients[0];
            var seen = new List<long>();
            long? after = null;
            OnlineList page;
            do
            {
                await asker.WhoAsync(after);
                page = await asker.NextAsync<OnlineList>();
                Assert.True(page.Ids.Count <= 2);
                seen.AddRange(page.Ids);
                after = page.Ids.Count > 0 ? page.Ids[^1] : null;
            }
            while (page.More);

            Assert.Equal(seen.Order().Distinct(), seen);
            Assert.Superset(clients.Select(c => c.Id).ToHashSet(), seen.ToHashSet());
        }
        finally
        {
            foreach (var client in clients)
                await client.DisposeAsync();
        }
    }

    [Fact]
    public async Task Members_and_rooms_pages_follow_on_from_the_last_item()
    {
        var clients = await ConnectAsync(3);
        var prefix = "p" + Guid.NewGuid().ToString("N")[..8];
        string[] rooms = [prefix + "-a", prefix + "-b", prefix + "-c"];
        try
        {
            foreach (var client in clients)
            {
                foreach (var room in rooms)
                {
                    await client.JoinAsync(room);
                    await client.NextAsync<CommandConfirmed>();
                }
            }

            var asker = clients[0];
            await asker.MembersAsync(rooms[0]);
            var first = await asker.NextAsync<RoomMembers>();
            await asker.MembersAsync(rooms[0], first.Ids[^1]);
            var second = await asker.NextAsync<RoomMembers>();
            Assert.Equal((3L, true, 3L, false), (first.Total, first.More, second.Total, second.More));
            Assert.Equal(clients.Select(c => c.Id).Order(), first.Ids.Concat(second.Ids));

            await asker.RoomsAsync(prefix);
            var firstRooms = await asker.NextAsync<RoomList>();
            Assert.True(firstRooms.More);
            Assert.Equal([(rooms[0], 3L), (rooms[1], 3L)], firstRooms.Rooms);
            await asker.RoomsAsync(firstRooms.Rooms[^1].Name);
            var nextRooms = await asker.NextAsync<RoomList>();
            Assert.Equal((rooms[2], 3L), nextRooms.Rooms[0]);
        }
        finally
        {
            foreach (var client in clients)
                await client.DisposeAsync();
        }
    }

    [Fact]
    public async Task The_console_says_which_command_gives_the_next_page_and_that_command_gives_it()
    {
        var clients = await ConnectAsync(3);
        try
        {
            await using var chat = TestProcess.StartProject(
                "Relay.Client", "--host", fixture.Host, "--port", fixture.Port.ToString(CultureInfo.InvariantCulture));
            await chat.WaitForLineAsync(l => l.Contains("your ID is"), what: "the chat's id");

            await chat.WriteLineAsync("/who");
            var first = await chat.WaitForLineAsync(l => l.Contains(" online: ", StringComparison.Ordinal), what: "the first WHO page");
            var hint = first[(first.IndexOf("(more: ", StringComparison.Ordinal) + "(more: ".Length)..^1];
            Assert.StartsWith("/who ", hint);
            await chat.WriteLineAsync(hint);
            var second = await chat.WaitForLineAsync(l => l.Contains(" online: ", StringComparison.Ordinal), what: "the page the hint asks for");
            chat.CloseInput();

            var firstIds = IdsOf(first);
            var secondIds = IdsOf(second);
            Assert.Equal(2, firstIds.Count);
            Assert.True(secondIds[0] > firstIds[^1], $"the next page starts after {firstIds[^1]}: {second}");
            Assert.Equal(0, await chat.WaitForExitAsync());
        }
        finally
        {
            foreach (var client in clients)
                await client.DisposeAsync();
        }
    }

    // "<total> online: 1, 2 (more: /who 2)" → [1, 2]
    private static List<long> IdsOf(string line)
    {
        var list = line[(line.IndexOf(": ", StringComparison.Ordinal) + 2)..];
        var more = list.IndexOf(" (more:", StringComparison.Ordinal);
        return (more < 0 ? list : list[..more]).Split(", ").Select(id => long.Parse(id, CultureInfo.InvariantCulture)).ToList();
    }

    private async Task<List<RelayClient>> ConnectAsync(int count)
    {
        var clients = new List<RelayClient>();
        for (var i = 0; i < count; i++)
            clients.Add(await RelayClient.ConnectAsync(fixture.Host, fixture.Port));
        return clients;
    }
}
