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

/// <summary>A broadcast from another client (<c>ALL:&lt;sender&gt;:&lt;text&gt;</c>).</summary>
public sealed record BroadcastReceived(long From, string Text) : RelayEvent;

/// <summary>A message to a room this client is in (<c>ROOM:&lt;room&gt;:&lt;sender&gt;:&lt;text&gt;</c>).</summary>
public sealed record RoomMessageReceived(string Room, long From, string Text) : RelayEvent;

/// <summary>
/// <c>OK:&lt;COMMAND&gt;:&lt;argument&gt;</c>: a <c>JOIN</c>, <c>LEAVE</c> or <c>WATCH</c> took effect, e.g.
/// <see cref="Command"/> <c>JOIN</c> with <see cref="Argument"/> <c>lobby</c>, or <c>WATCH</c> with <c>ON</c>.
/// </summary>
public sealed record CommandConfirmed(string Command, string Argument) : RelayEvent;

/// <summary><c>JOINED:&lt;id&gt;</c>: a client of the cluster connected (sent while watching).</summary>
public sealed record ClientJoined(long Id) : RelayEvent;

/// <summary><c>LEFT:&lt;id&gt;</c>: a client quit, was disconnected or went with its node (sent while watching).</summary>
public sealed record ClientLeft(long Id) : RelayEvent;

/// <summary>
/// <c>DELIVERED:&lt;ref&gt;</c>: the message sent with that reference was handed to the recipient's socket
/// (not a read receipt).
/// </summary>
public sealed record DeliveryConfirmed(string Reference) : RelayEvent;

/// <summary>
/// <c>ERROR:NOT_DELIVERED:&lt;ref&gt;:&lt;CAUSE&gt;:&lt;text&gt;</c>: the message sent with that reference did
/// not reach its recipient. <see cref="Cause"/> is the cause as sent (e.g. <c>UNKNOWN_TARGET</c>);
/// <see cref="Known"/> is null for a cause this client does not know (a newer server).
/// </summary>
public sealed record DeliveryFailed(string Reference, string Cause, string Text) : RelayEvent
{
    /// <summary>The cause, if this client knows it.</summary>
    public ReceiptFailure? Known
    {
        get
        {
            foreach (var candidate in Enum.GetValues<ReceiptFailure>())
            {
                if (System.Text.Ascii.Equals(ReceiptFailures.CodeOf(candidate), Cause))
                    return candidate;
            }

            return null;
        }
    }
}

/// <summary>
/// A page of <c>WHO</c>: <see cref="Total"/> clients are online in the cluster; <see cref="Ids"/> are this
/// page's, ascending. When <see cref="More"/>, ask for the next page after the last id.
/// </summary>
public sealed record OnlineList(long Total, IReadOnlyList<long> Ids, bool More) : RelayEvent;

/// <summary>
/// A page of <c>MEMBERS</c>: <see cref="Room"/> has <see cref="Total"/> members; <see cref="Ids"/> are this
/// page's, ascending. When <see cref="More"/>, ask for the next page after the last id.
/// </summary>
public sealed record RoomMembers(string Room, long Total, IReadOnlyList<long> Ids, bool More) : RelayEvent;

/// <summary>
/// A page of <c>ROOMS</c>: rooms that have members, with their member counts, in ordinal order.
/// When <see cref="More"/>, ask for the next page after the last room's name.
/// </summary>
public sealed record RoomList(IReadOnlyList<(string Name, long Members)> Rooms, bool More) : RelayEvent;

/// <summary>
/// Over UDP: the node no longer knows this client (<c>ERROR:NO_SESSION</c>: it was silent past the node's
/// idle timeout, or the node restarted). It is the last event: the stream ends after it. Connect again
/// (say <c>HELLO</c> again) for a new session and a new id.
/// </summary>
public sealed record SessionLost(string Text) : RelayEvent;
