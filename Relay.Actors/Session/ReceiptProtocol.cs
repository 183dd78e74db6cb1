using Relay.Actors.Cluster;
using Relay.Protocol;

namespace Relay.Actors.Session;

/// <summary>The target's socket took the line of receipt <paramref name="ReceiptId"/>.</summary>
public sealed record ReceiptDelivered(long ReceiptId) : IRelayClusterMessage;

/// <summary>The line of receipt <paramref name="ReceiptId"/> will not be delivered, for <paramref name="Cause"/>.</summary>
public sealed record ReceiptFailed(long ReceiptId, ReceiptFailure Cause) : IRelayClusterMessage;
