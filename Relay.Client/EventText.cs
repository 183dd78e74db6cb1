using System.Globalization;

namespace Relay.Client;

/// <summary>How the console shows what the server sends.</summary>
internal static class EventText
{
    public static string Of(RelayEvent relayEvent) => relayEvent switch
    {
        MessageReceived message => $"from {message.From}: {message.Text}",
        BroadcastReceived broadcast => $"from {broadcast.From} to all: {broadcast.Text}",
        RoomMessageReceived room => $"from {room.From} in {room.Room}: {room.Text}",
        CommandConfirmed confirmed => Confirmation(confirmed),
        ClientJoined joined => $"client {joined.Id} connected",
        ClientLeft left => $"client {left.Id} left",
        DeliveryConfirmed delivered => $"delivered {delivered.Reference}",
        DeliveryFailed failed => $"not delivered {failed.Reference}: {Cause(failed)}",
        OnlineList online => Online(online),
        RoomMembers members => Members(members),
        RoomList rooms => Rooms(rooms),
        ErrorReceived error => $"error {error.Code}: {error.Text}",
        PongReceived => "pong",
        ReconnectRequested reconnect => $"server: {reconnect.Text}",
        UnknownLine unknown => $"server: {unknown.Line}",
        SessionLost lost => $"session lost: the node no longer knows this client ({lost.Text})",
        _ => relayEvent.ToString(),
    };

    /// <summary>Why a message was not delivered, e.g. <c>UNKNOWN_TARGET (no client 7)</c>.</summary>
    public static string Cause(DeliveryFailed failed) =>
        failed.Text.Length == 0 ? failed.Cause : $"{failed.Cause} ({failed.Text})";

    private static string Confirmation(CommandConfirmed confirmed) => (confirmed.Command, confirmed.Argument) switch
    {
        ("JOIN", var room) => $"joined {room}",
        ("LEAVE", var room) => $"left {room}",
        ("WATCH", "ON") => "watching: you will see clients connect and leave",
        ("WATCH", "OFF") => "stopped watching",
        var (command, argument) => $"ok {command} {argument}",
    };

    private static string Online(OnlineList online) =>
        online.Ids.Count == 0 && !online.More
            ? "nobody online"
            : $"{online.Total} online: {Ids(online.Ids)}{MoreHint(online.More, online.Ids, last => $"/who {last}")}";

    private static string Members(RoomMembers members) =>
        members.Ids.Count == 0 && !members.More
            ? $"nobody in {members.Room}"
            : $"{members.Total} in {members.Room}: {Ids(members.Ids)}{MoreHint(members.More, members.Ids, last => $"/members {members.Room} {last}")}";

    private static string Rooms(RoomList list)
    {
        if (list.Rooms.Count == 0 && !list.More)
            return "no rooms";
        var rooms = string.Join(", ", list.Rooms.Select(room => $"{room.Name} ({room.Members})"));
        var hint = list.More && list.Rooms.Count > 0 ? $" (more: /rooms {list.Rooms[^1].Name})" : "";
        return $"rooms: {rooms}{hint}";
    }

    private static string Ids(IReadOnlyList<long> ids) =>
        string.Join(", ", ids.Select(id => id.ToString(CultureInfo.InvariantCulture)));

    private static string MoreHint(bool more, IReadOnlyList<long> ids, Func<long, string> next) =>
        more && ids.Count > 0 ? $" (more: {next(ids[^1])})" : "";
}
