namespace Relay.Actors.Cluster;

/// <summary>
/// Marks the messages that cross nodes. They are bound to <see cref="RelaySerializer"/> in
/// hocon/relay.conf, so none of them silently falls back to the default JSON serializer.
/// </summary>
public interface IRelayClusterMessage;
