namespace Relay.Client;

/// <summary>The form of the lines a <see cref="RelayClient"/> exchanges with its node (docs/protocol.md).</summary>
public enum RelayProtocol
{
    /// <summary>Text lines: <c>TO:2:hi</c>, <c>FROM:1:hi</c>.</summary>
    Text,

    /// <summary>
    /// JSON objects, one per line: <c>{"op":"to","to":2,"text":"hi"}</c>. The events are the same as
    /// in <see cref="Text"/>; only the wire differs.
    /// </summary>
    Json,
}
