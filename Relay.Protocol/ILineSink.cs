namespace Relay.Protocol;

/// <summary>Receives what a <see cref="LineFramer"/> cuts out of a byte stream.</summary>
public interface ILineSink
{
    /// <summary>One complete line, without its terminator. Only valid during the call.</summary>
    void OnLine(ReadOnlySpan<byte> line);

    /// <summary>
    /// A line grew past the limit. Called once per such line, as soon as the limit is crossed;
    /// the rest of that line is skipped without being buffered.
    /// </summary>
    void OnLineTooLong();

    /// <summary>
    /// True while the sink cannot take another line now (e.g. its replies wait to be sent): the
    /// framer stops between two lines and keeps the rest of the chunk until
    /// <see cref="LineFramer.FeedUnread{TSink}"/>.
    /// </summary>
    bool IsFull => false;
}
