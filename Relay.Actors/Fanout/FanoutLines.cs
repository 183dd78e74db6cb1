using Akka.Actor;
using Relay.Actors.Session;

namespace Relay.Actors.Fanout;

/// <summary>
/// Lines that many clients of this node receive alike (a broadcast, a room message, presence
/// events): rendered once, and the same immutable array told to every recipient, which copies it
/// into its outbound buffer. Never crosses nodes.
/// </summary>
/// <param name="Lines">Complete lines, each ending in <c>\n</c>; never changed once sent.</param>
public sealed record FanoutLines(byte[] Lines)
{
    /// <summary>
    /// Sends the lines to the client of <paramref name="inbox"/> if it has room for them; a client
    /// that has not is a slow consumer (the inbox tells its session), and nobody else waits.
    /// </summary>
    public void SendTo(ClientInbox inbox)
    {
        if (inbox.TryReserve(Lines.Length))
            inbox.Connection.Tell(this, ActorRefs.NoSender);
    }
}
