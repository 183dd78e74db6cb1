namespace Relay.Protocol;

/// <summary>Why a <c>TOACK:</c> message got <c>ERROR:NOT_DELIVERED</c> instead of <c>DELIVERED</c>.</summary>
public enum ReceiptFailure : byte
{
    /// <summary>No connected client has the target id, or it is not reading (slow consumer).</summary>
    UnknownTarget,

    /// <summary>The target left (or was disconnected) before its socket took the message.</summary>
    Disconnected,

    /// <summary>No receipt came in time: the target's node may have crashed. The message may or may not have arrived.</summary>
    Timeout,

    /// <summary>The line was malformed after its reference.</summary>
    BadFormat,

    /// <summary>The message is not valid UTF-8.</summary>
    BadEncoding,
}

/// <summary>The wire codes of <see cref="ReceiptFailure"/>.</summary>
public static class ReceiptFailures
{
    /// <summary>The cause as it appears on the wire, after the reference.</summary>
    public static ReadOnlySpan<byte> CodeOf(ReceiptFailure cause) => cause switch
    {
        ReceiptFailure.UnknownTarget => "UNKNOWN_TARGET"u8,
        ReceiptFailure.Disconnected => "DISCONNECTED"u8,
        ReceiptFailure.Timeout => "TIMEOUT"u8,
        ReceiptFailure.BadFormat => "BAD_FORMAT"u8,
        ReceiptFailure.BadEncoding => "BAD_ENCODING"u8,
        _ => throw new ArgumentOutOfRangeException(nameof(cause), cause, null),
    };
}
