using System.Buffers;
using System.Text;
using Relay.Protocol;

namespace Relay.Client;

/// <summary>The commands: one method per line a client can send.</summary>
public sealed partial class RelayClient
{
    /// <summary>Sends <paramref name="text"/> to the client with id <paramref name="targetId"/>.</summary>
    /// <exception cref="ArgumentException">The text contains a line break.</exception>
    public async ValueTask SendAsync(long targetId, string text, CancellationToken cancellation = default)
    {
        if (text.AsSpan().ContainsAny('\n', '\r'))
            throw new ArgumentException("A message is one line: it cannot contain a line break.", nameof(text));

        var utf8 = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(text.Length));
        try
        {
            var length = Encoding.UTF8.GetBytes(text, utf8);
            await SendAsync(targetId, utf8.AsMemory(0, length), cancellation).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(utf8);
        }
    }

    /// <summary>Sends a message that is already UTF-8.</summary>
    public ValueTask SendAsync(long targetId, ReadOnlyMemory<byte> utf8, CancellationToken cancellation = default) =>
        WriteAsync(output => ClientLines.To(output, targetId, utf8.Span), cancellation);

    /// <summary>
    /// Sends <paramref name="text"/> to <paramref name="targetId"/> with a delivery receipt
    /// (<c>TOACK:</c>): a <see cref="DeliveryConfirmed"/> or <see cref="DeliveryFailed"/> carrying
    /// <paramref name="reference"/> follows. The reference is the caller's own; the server does not
    /// interpret it.
    /// </summary>
    /// <exception cref="ArgumentException">The reference is not a valid name (see <see cref="Names"/>) or the text contains a line break.</exception>
    public ValueTask SendWithReceiptAsync(string reference, long targetId, string text, CancellationToken cancellation = default)
    {
        var referenceBytes = NameBytes(reference, nameof(reference));
        return WriteTextAsync(text, (output, utf8) => ClientLines.ToAck(output, referenceBytes, targetId, utf8), cancellation);
    }

    /// <summary>Sends <paramref name="text"/> to every other client of the cluster (<c>ALL:</c>).</summary>
    /// <exception cref="ArgumentException">The text contains a line break.</exception>
    public ValueTask BroadcastAsync(string text, CancellationToken cancellation = default) =>
        WriteTextAsync(text, ClientLines.All, cancellation);

    /// <summary>Joins <paramref name="room"/> (<c>JOIN:</c>); a <see cref="CommandConfirmed"/> follows, or an error.</summary>
    /// <exception cref="ArgumentException">The room is not a valid name (see <see cref="Names"/>).</exception>
    public ValueTask JoinAsync(string room, CancellationToken cancellation = default)
    {
        var name = NameBytes(room, nameof(room));
        return WriteAsync(output => ClientLines.Join(output, name), cancellation);
    }

    /// <summary>Leaves <paramref name="room"/> (<c>LEAVE:</c>); a <see cref="CommandConfirmed"/> follows, or <c>NOT_MEMBER</c>.</summary>
    /// <exception cref="ArgumentException">The room is not a valid name (see <see cref="Names"/>).</exception>
    public ValueTask LeaveAsync(string room, CancellationToken cancellation = default)
    {
        var name = NameBytes(room, nameof(room));
        return WriteAsync(output => ClientLines.Leave(output, name), cancellation);
    }

    /// <summary>Sends <paramref name="text"/> to the other members of <paramref name="room"/>, which this client must have joined (<c>ROOM:</c>).</summary>
    /// <exception cref="ArgumentException">The room is not a valid name or the text contains a line break.</exception>
    public ValueTask RoomAsync(string room, string text, CancellationToken cancellation = default)
    {
        var name = NameBytes(room, nameof(room));
        return WriteTextAsync(text, (output, utf8) => ClientLines.Room(output, name, utf8), cancellation);
    }

    /// <summary>
    /// Asks for the rooms that have members (<c>ROOMS</c>); a <see cref="RoomList"/> follows. Give the last
    /// room of a page with <see cref="RoomList.More"/> as <paramref name="after"/> for the next page.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="after"/> is not a valid name.</exception>
    public ValueTask RoomsAsync(string? after = null, CancellationToken cancellation = default)
    {
        var afterBytes = after is null ? null : NameBytes(after, nameof(after));
        return WriteAsync(output => ClientLines.Rooms(output, afterBytes), cancellation, padded: true);
    }

    /// <summary>
    /// Asks for the members of <paramref name="room"/> (<c>MEMBERS:</c>); a <see cref="RoomMembers"/> follows.
    /// Give the last id of a page with <see cref="RoomMembers.More"/> as <paramref name="after"/> for the next page.
    /// </summary>
    /// <exception cref="ArgumentException">The room is not a valid name, or <paramref name="after"/> is not positive.</exception>
    public ValueTask MembersAsync(string room, long? after = null, CancellationToken cancellation = default)
    {
        var name = NameBytes(room, nameof(room));
        var afterId = PageStart(after);
        return WriteAsync(output => ClientLines.Members(output, name, afterId), cancellation, padded: true);
    }

    /// <summary>
    /// Asks who is online in the cluster (<c>WHO</c>); an <see cref="OnlineList"/> follows. Give the last id
    /// of a page with <see cref="OnlineList.More"/> as <paramref name="after"/> for the next page.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="after"/> is not positive.</exception>
    public ValueTask WhoAsync(long? after = null, CancellationToken cancellation = default)
    {
        var afterId = PageStart(after);
        return WriteAsync(output => ClientLines.Who(output, afterId), cancellation, padded: true);
    }

    /// <summary>
    /// Starts (<c>WATCH:ON</c>) or stops (<c>WATCH:OFF</c>) presence events: a <see cref="CommandConfirmed"/>
    /// follows, then a <see cref="ClientJoined"/> or <see cref="ClientLeft"/> whenever a client of the cluster
    /// connects or leaves.
    /// </summary>
    public ValueTask WatchAsync(bool on, CancellationToken cancellation = default) =>
        WriteAsync(output => ClientLines.Watch(output, on), cancellation);

    /// <summary>Sends <c>PING</c>; a <see cref="PongReceived"/> follows once everything sent before it was handled.</summary>
    public ValueTask PingAsync(CancellationToken cancellation = default) =>
        WriteAsync(ClientLines.Ping, cancellation);

    /// <summary>
    /// Sends <c>QUIT</c>. Over TCP the server sends what is pending and closes. Over UDP there is no
    /// close to wait for: the node answers what came before the QUIT and ends the session, so this
    /// client reads on for <see cref="UdpQuitGrace"/> (those replies still become events) and then
    /// ends the event stream.
    /// </summary>
    public async ValueTask QuitAsync(CancellationToken cancellation = default)
    {
        await WriteAsync(ClientLines.Quit, cancellation).ConfigureAwait(false);
        if (OverUdp)
        {
            _quit = true;
            _stop.CancelAfter(UdpQuitGrace);
        }
    }

    /// <summary>How long a UDP client reads on after its QUIT for the replies to what it sent before.</summary>
    public static readonly TimeSpan UdpQuitGrace = TimeSpan.FromSeconds(1);

    /// <summary>The UTF-8 of a room name or reference, checked against the naming rule.</summary>
    private static byte[] NameBytes(string name, string parameter)
    {
        ArgumentNullException.ThrowIfNull(name, parameter);
        var bytes = Encoding.UTF8.GetBytes(name);
        if (!Names.IsValid(bytes))
            throw new ArgumentException($"'{name}' is not a valid name: {Encoding.ASCII.GetString(Names.Rule)}", parameter);
        return bytes;
    }

    /// <summary>The <c>after</c> of a WHO or MEMBERS page as <see cref="ClientLines"/> takes it: 0 for the first page.</summary>
    private static long PageStart(long? after) => after switch
    {
        null => 0,
        > 0 => after.Value,
        _ => throw new ArgumentOutOfRangeException(nameof(after), after, "a page starts after a positive id"),
    };

    /// <summary>Encodes a one-line <paramref name="text"/> as UTF-8 and writes the line <paramref name="write"/> makes of it.</summary>
    private async ValueTask WriteTextAsync(string text, TextLine write, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.AsSpan().ContainsAny('\n', '\r'))
            throw new ArgumentException("A message is one line: it cannot contain a line break.", nameof(text));

        var utf8 = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(text.Length));
        try
        {
            var length = Encoding.UTF8.GetBytes(text, utf8);
            await WriteAsync(output => write(output, utf8.AsSpan(0, length)), cancellation).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(utf8);
        }
    }

    private delegate void TextLine(ArrayBufferWriter<byte> output, ReadOnlySpan<byte> utf8);
}
