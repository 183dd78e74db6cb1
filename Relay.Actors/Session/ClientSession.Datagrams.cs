using Relay.Protocol;
using Relay.Protocol.Udp;

namespace Relay.Actors.Session;

/// <summary>
/// Sessions carried by datagrams (UDP): one command per datagram, and what the node sends in
/// answer to a datagram kept within its reply budget (<see cref="Datagrams.ReplyBudget"/>).
/// </summary>
public sealed partial class ClientSession
{
    private int _maxDatagramBytes;

    /// <summary>The client's input comes as datagrams (<see cref="UseDatagrams"/>).</summary>
    private bool OverDatagrams => _maxDatagramBytes > 0;

    /// <summary>
    /// The client's input comes as datagrams of at most <paramref name="maxDatagramBytes"/>, in JSON
    /// if <paramref name="json"/> (it opened with <c>{"op":"hello"}</c>) or else text. Call before <see cref="Start"/>.
    /// </summary>
    public void UseDatagrams(bool json, int maxDatagramBytes)
    {
        _maxDatagramBytes = maxDatagramBytes;
        _dialect = json ? Dialect.Json : Dialect.Text;
        if (json)
            Activity.SpeakJson();
        // Staged even as text: replies are measured against the datagram's budget before they go.
        _output.Stage(json);
    }

    /// <summary>The datagram the session asked for (<see cref="ISessionTransport.RequestInput"/>).</summary>
    public void OnDatagram(ReadOnlySpan<byte> datagram)
    {
        _inputRequested = false;
        _services.Counters.AddBytesIn(datagram.Length);
        if (_state == SessionState.Relaying)
        {
            _output.ReplyBudget = Datagrams.ReplyBudget(datagram.Length);
            _allowance.Read(datagram.Length);
            switch (Datagrams.Read(datagram, out var line))
            {
                case not DatagramKind.Blank when datagram.Length > _maxDatagramBytes:
                    ServerLines.TooLong(Refuse(ErrorCode.TooLong), _maxDatagramBytes);
                    break;
                case DatagramKind.Line:
                    ((ILineSink)this).OnLine(line);
                    break;
                case DatagramKind.ServerLine:
                    ServerLines.RelayedLookalike(Refuse(ErrorCode.BadFormat));
                    break;
                case DatagramKind.Reply:
                    // A server's error line: answering it could start a loop between two servers.
                    break;
                case DatagramKind.SeveralLines:
                    ServerLines.OneCommandPerDatagram(Refuse(ErrorCode.BadFormat));
                    break;
            }

            _output.Flush();
            _output.ReplyBudget = null;
        }

        Settle();
    }
}
