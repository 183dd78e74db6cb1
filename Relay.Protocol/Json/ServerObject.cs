using System.Text.Json.Serialization;

namespace Relay.Protocol.Json;

/// <summary>Any server object of the JSON protocol, every field optional: what a client reads.</summary>
internal sealed record ServerObject(
    string? Op, string? Ref, long? Id, long? From, long? Total, string? Text, string? Room, string? Command,
    string? Arg, string? Code, string? Cause, bool? On, bool More, long[]? Ids, RoomCount[]? Rooms)
{
    /// <summary>The text line this object stands for, or null if it is not a complete server object.</summary>
    public string? TextLine() => Op switch
    {
        "hello" when Id is { } id => $"YOUR_ID:{id}",
        "from" when From is { } from && Text is not null => $"FROM:{from}:{Text}",
        "all" when From is { } from && Text is not null => $"ALL:{from}:{Text}",
        "room" when From is { } from && Room is not null && Text is not null => $"ROOM:{Room}:{from}:{Text}",
        "ok" when Command is not null => $"OK:{Command.ToUpperInvariant()}:{(On is { } on ? (on ? "ON" : "OFF") : Room ?? Arg)}",
        "joined" when Id is { } id => $"JOINED:{id}",
        "left" when Id is { } id => $"LEFT:{id}",
        "delivered" when Ref is not null => $"DELIVERED:{Ref}",
        "who" when Total is { } total => $"WHO:{total}:{IdList}{MoreSuffix}",
        "members" when Total is { } total && Room is not null => $"MEMBERS:{Room}:{total}:{IdList}{MoreSuffix}",
        // Nullable annotations are not enforced when reading: [null] or a room without its name gets here.
        "rooms" when Rooms is null || Array.TrueForAll(Rooms, r => r?.Room is not null) =>
            $"ROOMS:{string.Join(',', (Rooms ?? []).Select(r => $"{r.Room}={r.Members}"))}{MoreSuffix}",
        "error" when Code is not null && Cause is not null && Ref is not null => $"ERROR:{Code}:{Ref}:{Cause}:{Text}",
        "error" when Code is not null => $"ERROR:{Code}:{Text}",
        "pong" => "PONG",
        "reconnect" => $"RECONNECT:{Text}",
        "line" when Text is not null => Text,
        _ => null,
    };

    private string IdList => string.Join(',', Ids ?? []);

    private string MoreSuffix => More ? ":MORE" : "";
}

/// <summary>One room of a <c>rooms</c> page.</summary>
internal sealed record RoomCount(string Room, long Members);

/// <summary>The source-generated (reflection-free) serializer of <see cref="ServerObject"/>.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ServerObject))]
internal sealed partial class JsonProtocolContext : JsonSerializerContext;
