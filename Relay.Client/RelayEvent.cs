using Relay.Protocol;

namespace Relay.Client;

/// <summary>Something the server sent to this client.</summary>
public abstract record RelayEvent;

/// <summary>A message relayed from another client (<c>FROM:&lt;sender&gt;:&lt;text&gt;</c>).</summary>
public sealed record MessageReceived(long From, string Text) : RelayEvent;

/// <summary>
/// An <c>ERROR:&lt;CODE&gt;:&lt;text&gt;</c> line. <see cref="Known"/> is null for a code this client
/// does not know (a newer server); <see cref="Code"/> always has the code as sent.
/// </summary>
public sealed record ErrorReceived(string Code, ErrorCode? Known, string Text) : RelayEvent;

/// <summary>The answer to a PING: everything sent before it has been handled.</summary>
public sealed record PongReceived : RelayEvent
{
    /// <summary>The one instance.</summary>
    public static readonly PongReceived Instance = new();
}

/// <summary>The node is leaving the cluster and closes this connection next: connect to another node.</summary>
public sealed record ReconnectRequested(string Text) : RelayEvent;

/// <summary>A line this client does not understand, passed on as it came.</summary>
public sealed record UnknownLine(string Line) : RelayEvent;
