using Akka.Actor;

namespace Relay.Actors.Registry;

/// <summary>A new connection asks for an id; the registry answers <see cref="ClientRegistered"/> and watches it.</summary>
public sealed record RegisterClient(IActorRef Connection);

/// <summary>The id assigned to a connection; unique among live clients, never reused.</summary>
public sealed record ClientRegistered(long ClientId);

/// <summary>
/// One relayed message. Travels sender connection → registry → target connection unchanged;
/// the payload stays bytes end to end (already validated as UTF-8 by the sender's connection).
/// </summary>
public sealed record RelayEnvelope(long SenderId, long TargetId, byte[] Payload);

/// <summary>The registry's answer to the sender when <see cref="RelayEnvelope.TargetId"/> is not connected.</summary>
public sealed record UnknownTarget(long TargetId);

/// <summary>
/// Echoed back to the sender once every envelope it sent before has been routed, so any
/// <see cref="UnknownTarget"/> for them arrives first. Answers PING and orders a clean close.
/// </summary>
public sealed record RoutingBarrier(BarrierPurpose Purpose)
{
    /// <summary>For PING: write PONG when it returns.</summary>
    public static readonly RoutingBarrier Ping = new(BarrierPurpose.Ping);

    /// <summary>For closing: close the socket when it returns.</summary>
    public static readonly RoutingBarrier Drain = new(BarrierPurpose.Drain);
}

/// <summary>Why a connection sent a <see cref="RoutingBarrier"/>.</summary>
public enum BarrierPurpose
{
    /// <summary>Answer a PING.</summary>
    Ping,

    /// <summary>Close after the last replies.</summary>
    Drain,
}
