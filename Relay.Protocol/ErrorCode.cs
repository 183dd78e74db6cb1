namespace Relay.Protocol;

/// <summary>
/// The stable codes of <c>ERROR:&lt;CODE&gt;:&lt;text&gt;</c> lines. Clients match on the code; the text
/// after it is for people and may change.
/// </summary>
public enum ErrorCode : byte
{
    /// <summary>The line starts with no command the server knows.</summary>
    UnknownCommand,

    /// <summary>A known command with malformed arguments, e.g. <c>TO:abc:hi</c>.</summary>
    BadFormat,

    /// <summary>The message is not valid UTF-8.</summary>
    BadEncoding,

    /// <summary>No connected client has the target id.</summary>
    UnknownTarget,

    /// <summary>The line is longer than the server's limit; it was discarded.</summary>
    TooLong,

    /// <summary>The node has as many clients as it may hold; the connection is closed after this line.</summary>
    ServerFull,
}
