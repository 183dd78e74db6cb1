using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using Relay.Protocol;
using Relay.Protocol.Json;

namespace Relay.Client;

/// <summary>
/// Turns server lines into events. In JSON each object is first translated back into the text line it
/// stands for, so both protocols share one parser and one set of events. Greetings complete the
/// <see cref="Handshake"/> and are not events; neither are the answers to keepalive PINGs.
/// </summary>
internal sealed class ServerLineEvents(RelayClientOptions options, Handshake handshake, KeepAlive? keepAlive) : ILineSink
{
    private readonly ArrayBufferWriter<byte> _translated = new(256);

    /// <summary>The events of the lines handed in since the reader last cleared it.</summary>
    public List<RelayEvent> Events { get; } = new();

    /// <summary>Over UDP, the node said it no longer knows this client: nothing more will come.</summary>
    public bool SessionLost { get; private set; }

    public void OnLine(ReadOnlySpan<byte> line)
    {
        // Text lines start with a keyword, JSON lines with '{'. Before the node has seen the client's
        // first object it still sends text (YOUR_ID, and whatever others send in the meantime).
        if (options.Protocol == RelayProtocol.Json && !line.IsEmpty && line[0] == JsonWire.OpenBrace)
        {
            _translated.ResetWrittenCount();
            if (JsonServerLines.ToText(line, _translated, out var reference))
                OnTextLine(_translated.WrittenSpan, fromJson: true, reference);
            else
                Events.Add(new UnknownLine(Encoding.UTF8.GetString(line)));
            return;
        }

        OnTextLine(line, fromJson: false, reference: null);
    }

    public void OnLineTooLong() =>
        Events.Add(new UnknownLine("(a line longer than the client's limit was skipped)"));

    private void OnTextLine(ReadOnlySpan<byte> line, bool fromJson, string? reference)
    {
        var parsed = ServerLine.Parse(line);
        switch (parsed.Kind)
        {
            case ServerLineKind.From:
                Events.Add(new MessageReceived(parsed.Id, Encoding.UTF8.GetString(parsed.Text)));
                break;
            case ServerLineKind.Broadcast:
                Events.Add(new BroadcastReceived(parsed.Id, Encoding.UTF8.GetString(parsed.Text)));
                break;
            case ServerLineKind.Room:
                Events.Add(new RoomMessageReceived(Encoding.UTF8.GetString(parsed.Name), parsed.Id, Encoding.UTF8.GetString(parsed.Text)));
                break;
            case ServerLineKind.Ok:
                Events.Add(new CommandConfirmed(Encoding.UTF8.GetString(parsed.Name), Encoding.UTF8.GetString(parsed.Text)));
                break;
            case ServerLineKind.Joined:
                Events.Add(new ClientJoined(parsed.Id));
                break;
            case ServerLineKind.Left:
                Events.Add(new ClientLeft(parsed.Id));
                break;
            case ServerLineKind.Delivered:
                Events.Add(new DeliveryConfirmed(Encoding.UTF8.GetString(parsed.Name)));
                break;
            case ServerLineKind.Who when TryParseIds(parsed.Text, out var ids):
                Events.Add(new OnlineList(parsed.Id, ids, parsed.More));
                break;
            case ServerLineKind.Members when TryParseIds(parsed.Text, out var ids):
                Events.Add(new RoomMembers(Encoding.UTF8.GetString(parsed.Name), parsed.Id, ids, parsed.More));
                break;
            case ServerLineKind.Rooms when TryParseRooms(parsed.Text, out var rooms):
                Events.Add(new RoomList(rooms, parsed.More));
                break;
            case ServerLineKind.Error when handshake.TryRefuse(Encoding.UTF8.GetString(line), fromJson):
                break;
            case ServerLineKind.Error when options.Transport == RelayTransport.Udp
                                           && parsed.Code.SequenceEqual(Wire.CodeOf(ErrorCode.NoSession)):
                SessionLost = true;
                Events.Add(new SessionLost(Encoding.UTF8.GetString(parsed.Text)));
                break;
            case ServerLineKind.Error when parsed.Code.SequenceEqual(Wire.CodeOf(ErrorCode.NotDelivered))
                                           && TrySplitReceiptFailure(parsed.Text, out var failure):
                Events.Add(failure);
                break;
            case ServerLineKind.Error:
                Events.Add(new ErrorReceived(
                    Encoding.UTF8.GetString(parsed.Code),
                    Wire.TryParseCode(parsed.Code, out var code) ? code : null,
                    Encoding.UTF8.GetString(parsed.Text)));
                break;
            case ServerLineKind.Pong when keepAlive?.IsOwnPong(reference) == true:
                break;
            case ServerLineKind.Pong:
                Events.Add(PongReceived.Instance);
                break;
            case ServerLineKind.Reconnect:
                Events.Add(new ReconnectRequested(Encoding.UTF8.GetString(parsed.Text)));
                break;
            case ServerLineKind.YourId:
                handshake.OnHello(parsed.Id, fromJson);
                break;
            default:
                Events.Add(new UnknownLine(Encoding.UTF8.GetString(line)));
                break;
        }
    }

    // <id>,<id>,… (empty for none), as WHO and MEMBERS pages carry them.
    private static bool TryParseIds(ReadOnlySpan<byte> items, out IReadOnlyList<long> ids)
    {
        var list = new List<long>();
        ids = list;
        if (items.IsEmpty)
            return true;
        foreach (var range in items.Split(Wire.Comma))
        {
            if (!CommandParser.TryParseId(items[range], out var id))
                return false;
            list.Add(id);
        }

        return true;
    }

    // <room>=<members>,… (empty for none), as ROOMS pages carry them.
    private static bool TryParseRooms(ReadOnlySpan<byte> items, out IReadOnlyList<(string Name, long Members)> rooms)
    {
        var list = new List<(string Name, long Members)>();
        rooms = list;
        if (items.IsEmpty)
            return true;
        foreach (var range in items.Split(Wire.Comma))
        {
            var item = items[range];
            var equals = item.LastIndexOf(Wire.EqualsSign);
            if (equals <= 0 || !CommandParser.TryParseId(item[(equals + 1)..], out var members))
                return false;
            list.Add((Encoding.UTF8.GetString(item[..equals]), members));
        }

        return true;
    }

    // <ref>:<CAUSE>:<text>, the text of an ERROR:NOT_DELIVERED line.
    private static bool TrySplitReceiptFailure(ReadOnlySpan<byte> text, [NotNullWhen(true)] out DeliveryFailed? failure)
    {
        failure = null;
        var first = text.IndexOf(Wire.Colon);
        if (first <= 0)
            return false;
        var rest = text[(first + 1)..];
        var second = rest.IndexOf(Wire.Colon);
        if (second <= 0)
            return false;
        failure = new DeliveryFailed(
            Encoding.UTF8.GetString(text[..first]), Encoding.UTF8.GetString(rest[..second]), Encoding.UTF8.GetString(rest[(second + 1)..]));
        return true;
    }
}
