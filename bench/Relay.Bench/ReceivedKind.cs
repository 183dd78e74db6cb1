namespace Relay.Bench;

/// <summary>What a received line is, to a workload.</summary>
internal enum ReceivedKind : byte
{
    /// <summary>A relayed message (<c>FROM:</c>, <c>{"op":"from",…}</c>, a room line, or a peer's delivered payload): its text is the payload.</summary>
    From,

    /// <summary>
    /// A greeting or a keep-alive answer (<c>YOUR_ID</c>, the JSON hello, <c>PONG</c>, a peer's
    /// <c>PONG</c>): not a message, not an error. A handshake is done when one arrives.
    /// </summary>
    Greeting,

    /// <summary>
    /// A line of a peer's protocol around the messages: a header before a payload, a publish's
    /// reply, an <c>INFO</c>. Neither a message nor an error.
    /// </summary>
    Control,

    /// <summary>Anything else (an error, <c>RECONNECT</c>): a message that will not arrive.</summary>
    Other,
}
