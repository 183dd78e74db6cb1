namespace Relay.Protocol;

/// <summary>What a client line asks for.</summary>
public enum CommandKind : byte
{
    /// <summary>A blank line; ignored, so that a person typing into a raw TCP tool can press Enter.</summary>
    Empty,

    /// <summary><c>TO:&lt;id&gt;:&lt;message&gt;</c>.</summary>
    To,

    /// <summary><c>TOACK:&lt;ref&gt;:&lt;id&gt;:&lt;message&gt;</c>: <see cref="To"/> with a delivery receipt.</summary>
    ToAck,

    /// <summary><c>ALL:&lt;message&gt;</c>: every other client of the cluster.</summary>
    All,

    /// <summary><c>JOIN:&lt;room&gt;</c>.</summary>
    Join,

    /// <summary><c>LEAVE:&lt;room&gt;</c>.</summary>
    Leave,

    /// <summary><c>ROOM:&lt;room&gt;:&lt;message&gt;</c>: every other member of the room.</summary>
    Room,

    /// <summary><c>ROOMS</c> or <c>ROOMS:&lt;after&gt;</c>: rooms and their member counts, a page at a time.</summary>
    Rooms,

    /// <summary><c>MEMBERS:&lt;room&gt;</c> or <c>MEMBERS:&lt;room&gt;:&lt;after&gt;</c>: member ids, a page at a time.</summary>
    Members,

    /// <summary><c>WHO</c> or <c>WHO:&lt;after&gt;</c>: ids online in the cluster, a page at a time.</summary>
    Who,

    /// <summary><c>WATCH:ON</c> or <c>WATCH:OFF</c>: be told when clients connect and leave.</summary>
    Watch,

    /// <summary><c>PING</c>.</summary>
    Ping,

    /// <summary><c>QUIT</c>.</summary>
    Quit,

    /// <summary><c>HELLO</c>: the greeting again (over UDP, the datagram that starts a session).</summary>
    Hello,

    /// <summary>A line the server refuses; <see cref="ClientCommand.Error"/> says why.</summary>
    Invalid,
}

/// <summary>
/// One parsed client line. A <c>ref struct</c> so that names and the payload stay slices of the
/// received bytes: parsing allocates nothing.
/// </summary>
public readonly ref struct ClientCommand
{
    private ClientCommand(
        CommandKind kind, long number, ReadOnlySpan<byte> name, ReadOnlySpan<byte> payload, ErrorCode error, CommandKind refused)
    {
        Kind = kind;
        Number = number;
        Name = name;
        Payload = payload;
        Error = error;
        Refused = refused;
    }

    /// <summary>What the line asks for.</summary>
    public CommandKind Kind { get; }

    /// <summary>
    /// The number the command carries: the recipient's id (<see cref="CommandKind.To"/>,
    /// <see cref="CommandKind.ToAck"/>), the id to list after (<see cref="CommandKind.Who"/>,
    /// <see cref="CommandKind.Members"/>; 0 for the first page), or 1/0 for <c>WATCH:ON</c>/<c>WATCH:OFF</c>.
    /// </summary>
    public long Number { get; }

    /// <summary>For <see cref="CommandKind.To"/> and <see cref="CommandKind.ToAck"/>: the id of the recipient.</summary>
    public long TargetId => Number;

    /// <summary>
    /// The name the command carries: the room (<see cref="CommandKind.Join"/>, <see cref="CommandKind.Leave"/>,
    /// <see cref="CommandKind.Room"/>, <see cref="CommandKind.Members"/>), the receipt reference
    /// (<see cref="CommandKind.ToAck"/>), or the room to list after (<see cref="CommandKind.Rooms"/>; empty
    /// for the first page). Always ASCII letters, digits, <c>_ . -</c> (see <see cref="Names"/>).
    /// </summary>
    public ReadOnlySpan<byte> Name { get; }

    /// <summary>The message, byte for byte (valid UTF-8, possibly empty).</summary>
    public ReadOnlySpan<byte> Payload { get; }

    /// <summary>For <see cref="CommandKind.Invalid"/>: the code to answer with.</summary>
    public ErrorCode Error { get; }

    /// <summary>For <see cref="CommandKind.Invalid"/>: the command the line tried to be (its usage goes into the error).</summary>
    public CommandKind Refused { get; }

    internal static ClientCommand Of(CommandKind kind, long number = 0, ReadOnlySpan<byte> name = default, ReadOnlySpan<byte> payload = default) =>
        new(kind, number, name, payload, default, default);

    internal static ClientCommand Invalid(ErrorCode error, CommandKind refused = CommandKind.Invalid, ReadOnlySpan<byte> name = default) =>
        new(CommandKind.Invalid, 0, name, default, error, refused);
}
