using System.Buffers;
using System.Text;
using Relay.Actors.Fanout;
using Relay.Actors.Presence;
using Relay.Protocol;

namespace Relay.Actors.Session;

/// <summary>Broadcasts, rooms and presence: ALL, JOIN, LEAVE, ROOM, ROOMS, MEMBERS, WHO, WATCH.</summary>
public sealed partial class ClientSession
{
    // Few per client (relay.connection.max-rooms), so a list beats a set.
    private readonly List<string> _rooms = new();
    private readonly ArrayBufferWriter<byte> _fanoutEntries = new();
    private int _fanoutUnconfirmed;
    private bool _online;

    /// <summary><c>ALL:</c> (<paramref name="room"/> empty) or <c>ROOM:</c>: into this chunk's batch for the fan-out actor.</summary>
    private void Publish(ReadOnlySpan<byte> room, ReadOnlySpan<byte> payload)
    {
        if (!room.IsEmpty && IndexOfRoom(room) < 0)
        {
            ServerLines.NotMember(Refuse(ErrorCode.NotMember), room);
            return;
        }

        FanoutEntries.Write(_fanoutEntries, room, payload);
        _barriers.Touched(FanoutActor.BarrierBlock);
        _fanoutUnconfirmed++;
    }

    private void PublishFanout()
    {
        if (_fanoutEntries.WrittenCount == 0)
            return;
        _services.Fanout.Tell(new PublishFanout(new FanoutBatch(_clientId, _fanoutEntries.WrittenSpan.ToArray())), _self);
        _fanoutEntries.ResetWrittenCount();
    }

    private void JoinRoom(ReadOnlySpan<byte> room)
    {
        if (IndexOfRoom(room) < 0)
        {
            if (_rooms.Count >= _settings.MaxRooms)
            {
                ServerLines.TooManyRooms(Refuse(ErrorCode.TooManyRooms), _settings.MaxRooms);
                return;
            }

            var name = Encoding.ASCII.GetString(room);
            _rooms.Add(name);
            Activity.SetRooms(_rooms);
            _services.Presence.Local.Join(_clientId, name, _output.Inbox);
        }

        ServerLines.Ok(_output.Replies, Wire.Join, room);
    }

    private void LeaveRoom(ReadOnlySpan<byte> room)
    {
        var index = IndexOfRoom(room);
        if (index < 0)
        {
            ServerLines.NotMember(Refuse(ErrorCode.NotMember), room);
            return;
        }

        _services.Presence.Local.Leave(_clientId, _rooms[index]);
        _rooms.RemoveAt(index);
        Activity.SetRooms(_rooms);
        ServerLines.Ok(_output.Replies, Wire.Leave, room);
    }

    private void ListRooms(ReadOnlySpan<byte> after)
    {
        var page = _services.Presence.Rooms(Encoding.ASCII.GetString(after), _settings.ListPageSize);
        var fit = _output.ReplyBudget is { } budget
            ? PageFit.Rooms(budget, _dialect == Dialect.Json, page.Rooms, _replyRefBytes)
            : page.Rooms.Count;
        if (fit == 0 && page.Rooms.Count > 0)
            ServerLines.PageTooLarge(Refuse(ErrorCode.TooLong));
        else
            ServerLines.RoomPage(_output.Replies, page.Rooms.Take(fit).ToList(), page.More || fit < page.Rooms.Count);
    }

    private void ListMembers(ReadOnlySpan<byte> room, long after) =>
        WriteIdPage(room, _services.Presence.MembersOf(Encoding.ASCII.GetString(room), after, _settings.ListPageSize));

    private void ListOnline(long after) => WriteIdPage(default, _services.Presence.Who(after, _settings.ListPageSize));

    /// <summary>A page of ids; for a datagram, as many as fit in what it may be answered with.</summary>
    private void WriteIdPage(ReadOnlySpan<byte> room, IdPage page)
    {
        var fit = _output.ReplyBudget is { } budget
            ? PageFit.Ids(budget, _dialect == Dialect.Json, room.Length, page.Total, page.Ids, _replyRefBytes)
            : page.Ids.Length;
        if (fit == 0 && page.Ids.Length > 0)
            ServerLines.PageTooLarge(Refuse(ErrorCode.TooLong));
        else
            ServerLines.IdPage(_output.Replies, room, page.Total, page.Ids.AsSpan(0, fit), page.More || fit < page.Ids.Length);
    }

    private void Watch(bool on)
    {
        _services.Presence.Local.Watch(_clientId, _output.Inbox, on);
        ServerLines.Ok(_output.Replies, Wire.Watch, on ? Wire.On : Wire.Off);
    }

    /// <summary>The client is known cluster-wide from now on (WHO, watchers).</summary>
    private void GoOnline()
    {
        _online = true;
        _services.Presence.Local.Online(_clientId);
    }

    /// <summary>The client leaves its rooms and the cluster's presence; watchers hear LEFT.</summary>
    private void GoOffline()
    {
        if (!_online)
            return;
        _online = false;
        _services.Presence.Local.Offline(_clientId, _rooms);
        _rooms.Clear();
        Activity.SetRooms(_rooms);
    }

    private void OnFanoutLines(FanoutLines lines)
    {
        // The fan-out actor reserved the room; it is released as the socket takes the bytes.
        if (IsAnswering)
        {
            _delivered += lines.Lines.Count(Wire.LineFeed);
            _output.Deliver(lines.Lines);
        }
        else
        {
            _output.Inbox.Release(lines.Lines.Length);
        }
    }

    private int IndexOfRoom(ReadOnlySpan<byte> room)
    {
        for (var i = 0; i < _rooms.Count; i++)
        {
            if (Ascii.Equals(room, _rooms[i]))
                return i;
        }

        return -1;
    }
}
