using Akka.IO;

namespace Relay.Actors.Session;

/// <summary>
/// What a <see cref="ClientSession"/> needs from the transport that carries it (TCP today; UDP and
/// WebSocket next). The transport never sees the protocol; the session never sees a socket.
/// </summary>
public interface ISessionTransport
{
    /// <summary>
    /// Sends <paramref name="data"/>. The session keeps one write in flight: the transport reports
    /// it with <see cref="ClientSession.OnWriteCompleted"/> once the peer's socket took it.
    /// </summary>
    void Write(ByteString data);

    /// <summary>
    /// Asks for the next chunk of input (pull): answered by one <see cref="ClientSession.OnInput"/>
    /// or by <see cref="ClientSession.OnEndOfInput"/>. Nothing is read until the session asks.
    /// </summary>
    void RequestInput();

    /// <summary>Closes gracefully once what was written has been sent.</summary>
    void Close();

    /// <summary>Closes at once (a reset), dropping whatever is still queued.</summary>
    void Abort();
}

/// <summary>The timers of a session; the transport's actor delivers them as <see cref="SessionTimerFired"/>.</summary>
public interface ISessionTimers
{
    /// <summary>Starts (or restarts) <paramref name="timer"/> to fire once after <paramref name="after"/>.</summary>
    void Start(SessionTimer timer, TimeSpan after);

    /// <summary>Cancels <paramref name="timer"/>; a cancelled timer never fires.</summary>
    void Cancel(SessionTimer timer);
}

/// <summary>The timers a session runs.</summary>
public enum SessionTimer
{
    /// <summary>No id and location record within <see cref="ConnectionSettings.RegisterTimeout"/>.</summary>
    Register,

    /// <summary>The client sent part of a line and then nothing for <see cref="ConnectionSettings.PartialLineTimeout"/>.</summary>
    PartialLine,

    /// <summary>The oldest barrier waited <see cref="ConnectionSettings.BarrierTimeout"/>.</summary>
    Barrier,

    /// <summary>The oldest awaited receipt may have waited <see cref="ConnectionSettings.ReceiptTimeout"/>.</summary>
    Receipts,

    /// <summary>The client used its allowance (<see cref="ConnectionSettings.LinesPerSecond"/>); reading resumes when it refills.</summary>
    Allowance,

    /// <summary>A drained session still waits, after <see cref="ConnectionSettings.BarrierTimeout"/>, for deliveries reserved for it.</summary>
    Drain,

    /// <summary>The client has sent no command since it got its id, <see cref="ConnectionSettings.IdleTimeout"/> ago.</summary>
    Idle,

    /// <summary>The node asked the client to reconnect <see cref="ConnectionSettings.ReconnectGrace"/> ago, and it has not quit.</summary>
    ReconnectGrace,
}

/// <summary>A session timer fired.</summary>
public sealed record SessionTimerFired(SessionTimer Timer);
