using System.Globalization;
using Relay.Testing;

namespace Relay.Client.Tests;

/// <summary>The console's slash commands for broadcasts, rooms, presence and receipts, as a real process.</summary>
public sealed partial class ConsoleClientTests
{
    [Fact]
    public async Task Joins_talks_in_lists_and_leaves_a_room_with_slash_commands()
    {
        var room = "room-" + Guid.NewGuid().ToString("N")[..12];
        await using var other = await RelayClient.ConnectAsync(fixture.Host, fixture.Port);
        await other.JoinAsync(room);
        await other.NextAsync<CommandConfirmed>();
        await using var chat = await StartChatAsync();

        await chat.Process.WriteLineAsync($"/join {room}");
        await chat.Process.WaitForLineAsync(l => l == $"joined {room}", what: "the join confirmation");
        await chat.Process.WriteLineAsync($"/room {room} hello room: 안녕");
        Assert.Equal(new RoomMessageReceived(room, chat.Id, "hello room: 안녕"), await other.NextEventAsync());
        await other.RoomAsync(room, "hi back");
        await chat.Process.WaitForLineAsync(l => l == $"from {other.Id} in {room}: hi back", what: "the room message from the other member");

        await chat.Process.WriteLineAsync($"/members {room}");
        await chat.Process.WriteLineAsync("/rooms");
        await chat.Process.WriteLineAsync($"/leave {room}");
        await chat.Process.WriteLineAsync($"/room {room} after leaving");
        chat.Process.CloseInput();

        var (low, high) = (Math.Min(chat.Id, other.Id), Math.Max(chat.Id, other.Id));
        await chat.Process.WaitForLineAsync(l => l == $"2 in {room}: {low}, {high}", what: "the member list");
        await chat.Process.WaitForLineAsync(l => l.StartsWith("rooms: ", StringComparison.Ordinal) && l.Contains($"{room} (2)", StringComparison.Ordinal), what: "the room list");
        await chat.Process.WaitForLineAsync(l => l == $"left {room}", what: "the leave confirmation");
        await chat.Process.WaitForErrorLineAsync(l => l == $"error NOT_MEMBER: not in room {room}; JOIN:{room} first", what: "the refusal after leaving");
        // A piped line the server refused: exit code 1.
        Assert.Equal(1, await chat.Process.WaitForExitAsync());
    }

    [Fact]
    public async Task Broadcasts_and_lists_who_is_online_with_slash_commands()
    {
        await using var other = await RelayClient.ConnectAsync(fixture.Host, fixture.Port);
        await using var chat = await StartChatAsync();

        await chat.Process.WriteLineAsync("/all hello everyone: 안녕");
        await chat.Process.WriteLineAsync("/who");
        chat.Process.CloseInput();

        Assert.Equal(new BroadcastReceived(chat.Id, "hello everyone: 안녕"), await other.NextEventAsync());
        var online = await chat.Process.WaitForLineAsync(l => l.Contains(" online: ", StringComparison.Ordinal), what: "the WHO answer");
        var ids = online[(online.IndexOf(": ", StringComparison.Ordinal) + 2)..].Split(", ").Select(long.Parse).ToList();
        Assert.Contains(chat.Id, ids);
        Assert.Contains(other.Id, ids);
        Assert.Equal(0, await chat.Process.WaitForExitAsync());
    }

    [Fact]
    public async Task Watching_shows_a_client_connect_and_leave()
    {
        await using var chat = await StartChatAsync();

        await chat.Process.WriteLineAsync("/watch on");
        await chat.Process.WaitForLineAsync(l => l == "watching: you will see clients connect and leave", what: "the watch confirmation");
        var visitor = await RelayClient.ConnectAsync(fixture.Host, fixture.Port);
        await chat.Process.WaitForLineAsync(l => l == $"client {visitor.Id} connected", what: "the visitor's arrival");
        await visitor.QuitAsync();
        await visitor.DisposeAsync();
        await chat.Process.WaitForLineAsync(l => l == $"client {visitor.Id} left", what: "the visitor's departure");
        await chat.Process.WriteLineAsync("/watch off");
        chat.Process.CloseInput();

        await chat.Process.WaitForLineAsync(l => l == "stopped watching", what: "the unwatch confirmation");
        Assert.Equal(0, await chat.Process.WaitForExitAsync());
    }

    [Fact]
    public async Task Ack_shows_delivered_or_not_delivered_next_to_the_message_even_when_input_ends_at_once()
    {
        await using var other = await RelayClient.ConnectAsync(fixture.Host, fixture.Port);
        await using var chat = await StartChatAsync();

        await chat.Process.WriteLineAsync($"/ack {other.Id} did you get this?");
        await chat.Process.WriteLineAsync("/ack 987654321 anyone there?");
        chat.Process.CloseInput();

        Assert.Equal(new MessageReceived(chat.Id, "did you get this?"), await other.NextEventAsync());
        // Numbered in the order sent; a message not delivered is an error (stderr, exit code 1).
        Assert.Equal($"#1 to {other.Id} \"did you get this?\": delivered", await chat.Process.WaitForLineAsync(l => l.StartsWith('#'), what: "the first receipt"));
        Assert.Equal(
            "#2 to 987654321 \"anyone there?\": not delivered: UNKNOWN_TARGET (no client 987654321)",
            await chat.Process.WaitForErrorLineAsync(l => l.StartsWith('#'), what: "the second receipt"));
        Assert.Equal(1, await chat.Process.WaitForExitAsync());
    }

    [Fact]
    public async Task Answers_each_badly_typed_command_with_one_usage_line_and_carries_on()
    {
        string[] bad = ["/join", "/join bad!name", "/leave", "/room", "/room lobby", "/members", "/members lobby x", "/rooms a,b", "/who x", "/watch maybe", "/all", "/ack x hi"];
        await using var chat = await StartChatAsync();

        foreach (var line in bad)
            await chat.Process.WriteLineAsync(line);
        await chat.Process.WriteLineAsync("/ping");
        chat.Process.CloseInput();

        foreach (var line in bad)
        {
            var name = line.Split(' ')[0];
            await chat.Process.WaitForErrorLineAsync(l => l.StartsWith($"usage: {name} ", StringComparison.Ordinal), what: $"the usage line for '{line}'");
        }

        await chat.Process.WaitForLineAsync(l => l == "pong", what: "the pong after them");
        // Piped lines that were not valid commands: exit code 1.
        Assert.Equal(1, await chat.Process.WaitForExitAsync());
        Assert.DoesNotContain("Exception", chat.Process.Transcript, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_prints_every_command_of_the_dispatcher()
    {
        await using var chat = await StartChatAsync();

        await chat.Process.WriteLineAsync("/help");
        chat.Process.CloseInput();

        foreach (var command in ChatInput.Commands)
            await chat.Process.WaitForLineAsync(l => l.TrimStart().StartsWith(command.Usage + " ", StringComparison.Ordinal), what: $"/help's line for /{command.Name}");
        Assert.Equal(0, await chat.Process.WaitForExitAsync());
    }

    /// <summary>A chat on the fixture's node (its TCP port, unless <paramref name="args"/> give a port), with <paramref name="args"/>.</summary>
    private async Task<Chat> StartChatAsync(params string[] args)
    {
        var process = TestProcess.StartProject("Relay.Client", args.Contains("--port") ? args : [.. Endpoint, .. args]);
        try
        {
            return new Chat(process, IdFrom(await process.WaitForLineAsync(l => l.Contains("your ID is"), what: "the chat's id")));
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    /// <summary>A console chat process and its id.</summary>
    private sealed record Chat(TestProcess Process, long Id) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Process.DisposeAsync();
    }
}
