namespace Relay.Client;

/// <summary>
/// The greeting a connection waits for before it is usable: the node's <c>YOUR_ID</c> (over TCP it comes
/// unasked; over UDP it answers <c>HELLO</c>), and in JSON over TCP the JSON hello that follows the
/// client's first object and proves the node took the switch.
/// </summary>
internal sealed class Handshake(RelayClientOptions options)
{
    /// <summary>The first id the node sent, in either form.</summary>
    public TaskCompletionSource<long> Welcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The id of the first JSON hello.</summary>
    public TaskCompletionSource<long> JsonHello { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>True while an error line from the node can only be its refusal of the greeting.</summary>
    private bool Pending => options.Transport == RelayTransport.Udp || options.Token is not null
        ? !Welcome.Task.IsCompleted
        : options.Protocol == RelayProtocol.Json && Welcome.Task.IsCompleted && !JsonHello.Task.IsCompleted;

    /// <summary>A <c>YOUR_ID</c>, or a JSON hello. Later ones (answers to a repeated HELLO) change nothing.</summary>
    public void OnHello(long id, bool fromJson)
    {
        Welcome.TrySetResult(id);
        if (fromJson)
            JsonHello.TrySetResult(id);
    }

    /// <summary>
    /// An error line: true when it refuses the greeting (a node that does not speak JSON answers
    /// <c>{"op":"hello"}</c> with <c>ERROR:UNKNOWN_COMMAND</c>; a full one answers <c>HELLO</c> with
    /// <c>ERROR:SERVER_FULL</c>), which fails the connect with that line.
    /// </summary>
    public bool TryRefuse(string line, bool fromJson)
    {
        if (!Pending)
            return false;
        var reason = options.Token is not null ? $"the node refused the token: {line}"
            : options.Transport == RelayTransport.Tcp && !fromJson ? $"the node does not speak JSON; it answered {line}"
            : $"the node refused HELLO: {line}";
        Fail(new InvalidDataException(reason));
        return true;
    }

    /// <summary>The connection ended (or broke) before the greeting was complete.</summary>
    public void Fail(Exception reason)
    {
        Welcome.TrySetException(reason);
        JsonHello.TrySetException(reason);
    }
}
