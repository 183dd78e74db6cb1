namespace Relay.Protocol;

/// <summary>What a client line asks for.</summary>
public enum CommandKind : byte
{
    /// <summary>A blank line; ignored, so that a person typing into a raw TCP tool can press Enter.</summary>
    Empty,

    /// <summary><c>TO:&lt;id&gt;:&lt;message&gt;</c>.</summary>
    To,

    /// <summary><c>PING</c>.</summary>
    Ping,

    /// <summary><c>QUIT</c>.</summary>
    Quit,

    /// <summary>A line the server refuses; <see cref="ClientCommand.Error"/> says why.</summary>
    Invalid,
}

/// <summary>
/// One parsed client line. A <c>ref struct</c> so that the payload stays a slice of the received
/// bytes: parsing allocates nothing.
/// </summary>
public readonly ref struct ClientCommand
{
    private ClientCommand(CommandKind kind, long targetId, ReadOnlySpan<byte> payload, ErrorCode error)
    {
        Kind = kind;
        TargetId = targetId;
        Payload = payload;
        Error = error;
    }

    /// <summary>What the line asks for.</summary>
    public CommandKind Kind { get; }

    /// <summary>For <see cref="CommandKind.To"/>: the id of the recipient.</summary>
    public long TargetId { get; }

    /// <summary>For <see cref="CommandKind.To"/>: the message, byte for byte (valid UTF-8, possibly empty).</summary>
    public ReadOnlySpan<byte> Payload { get; }

    /// <summary>For <see cref="CommandKind.Invalid"/>: the code to answer with.</summary>
    public ErrorCode Error { get; }

    internal static ClientCommand Of(CommandKind kind) => new(kind, 0, default, default);

    internal static ClientCommand Send(long targetId, ReadOnlySpan<byte> payload) =>
        new(CommandKind.To, targetId, payload, default);

    internal static ClientCommand Invalid(ErrorCode error) => new(CommandKind.Invalid, 0, default, error);
}
