namespace Relay.Client;

/// <summary>
/// What carries a <see cref="RelayClient"/>'s lines: it sends command bytes as they are given and
/// cuts what arrives into server lines. It knows nothing of the protocol.
/// </summary>
internal abstract class RelayLink : IDisposable
{
    /// <summary>Reaches the node (over UDP: only fixes the peer address; nothing is sent).</summary>
    public abstract ValueTask ConnectAsync(string host, int port, CancellationToken cancellation);

    /// <summary>Sends one command, terminator included (over UDP: one datagram).</summary>
    public abstract ValueTask SendAsync(ReadOnlyMemory<byte> command, CancellationToken cancellation);

    /// <summary>
    /// Waits for the next bytes and hands every complete line in them to <paramref name="sink"/>;
    /// false once the node has closed the connection.
    /// </summary>
    public abstract ValueTask<bool> ReceiveAsync(ServerLineEvents sink, CancellationToken cancellation);

    /// <summary>Closes the socket, ending a pending receive. Safe to call more than once.</summary>
    public abstract void Close();

    /// <summary>Releases the buffers; only once no receive is running.</summary>
    public virtual void Dispose()
    {
    }
}
