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

    /// <summary>A room name or receipt reference breaks the naming rule (see <see cref="Names"/>).</summary>
    BadName,

    /// <summary><c>ROOM:</c> or <c>LEAVE:</c> for a room the client has not joined.</summary>
    NotMember,

    /// <summary><c>JOIN:</c> beyond the number of rooms one client may be in.</summary>
    TooManyRooms,

    /// <summary>
    /// A <c>TOACK:</c> message was not delivered: <c>ERROR:NOT_DELIVERED:&lt;ref&gt;:&lt;CAUSE&gt;:&lt;text&gt;</c>,
    /// the cause being another code (e.g. <see cref="UnknownTarget"/>) or <c>TIMEOUT</c>/<c>DISCONNECTED</c>.
    /// </summary>
    NotDelivered,

    /// <summary>A JSON connection sent a line that is not one JSON object.</summary>
    BadJson,

    /// <summary>A UDP datagram from an address with no session: send <c>HELLO</c> first.</summary>
    NoSession,

    /// <summary>The connection sent no command within the node's idle timeout of connecting; it is closed after this line.</summary>
    IdleTimeout,

    /// <summary>The node requires authentication and the client's first line was not <c>AUTH:&lt;token&gt;</c> (or it sent none in time).</summary>
    AuthRequired,

    /// <summary>The client's token is not one the node accepts.</summary>
    AuthFailed,
}
