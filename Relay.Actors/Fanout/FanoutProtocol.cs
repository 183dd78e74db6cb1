using Relay.Actors.Cluster;

namespace Relay.Actors.Fanout;

/// <summary>
/// The broadcasts and room messages one client sent within one received chunk, in order
/// (<see cref="FanoutEntries"/>). Crosses to each other node once, however many of its clients
/// receive it; each node's <see cref="FanoutActor"/> hands it to its own recipients.
/// </summary>
public sealed record FanoutBatch(long SenderId, byte[] Entries) : IRelayClusterMessage;

/// <summary>From a session to its node's fan-out actor: deliver here, and send to every other node.</summary>
public sealed record PublishFanout(FanoutBatch Batch);

/// <summary>
/// From a session to its node's fan-out actor, after the batches it published: echoed to the
/// session (as a <see cref="Registry.BlockBarrier"/> for <see cref="FanoutActor.BarrierBlock"/>)
/// once every reachable node has handed those batches to its recipients.
/// </summary>
public sealed record FanoutBarrier(long Token);

/// <summary>Between fan-out actors: echo <see cref="PeerBarrierEcho"/> once the batches before this one are delivered.</summary>
public sealed record PeerBarrier(long Id) : IRelayClusterMessage;

/// <summary>The answer to a <see cref="PeerBarrier"/>.</summary>
public sealed record PeerBarrierEcho(long Id) : IRelayClusterMessage;

/// <summary>
/// Between fan-out actors: "I am running". A node's fan-out actor starts after its node is up, so
/// a peer is sent batches and barriers only once it has said hello (or answered one): before
/// that, they would be lost and every barrier would wait for its timeout.
/// </summary>
/// <param name="AnswerMe">True when the receiver should say hello back (false on the answer itself).</param>
public sealed record FanoutHello(bool AnswerMe) : IRelayClusterMessage;
