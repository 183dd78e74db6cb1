using System.Buffers;

namespace Relay.Protocol;

/// <summary>Writes the lines a client sends, each ending in <c>\n</c>.</summary>
public static class ClientLines
{
    /// <summary><c>TO:&lt;id&gt;:&lt;message&gt;</c>. The message must not contain a line feed.</summary>
    public static void To(IBufferWriter<byte> output, long targetId, ReadOnlySpan<byte> payload)
    {
        RequireSingleLine(payload);
        output.Write(Wire.To);
        output.WriteNumber(targetId);
        output.WriteByte(Wire.Colon);
        output.Write(payload);
        output.WriteByte(Wire.LineFeed);
    }

    /// <summary><c>TOACK:&lt;ref&gt;:&lt;id&gt;:&lt;message&gt;</c>: a message with a delivery receipt.</summary>
    public static void ToAck(IBufferWriter<byte> output, ReadOnlySpan<byte> reference, long targetId, ReadOnlySpan<byte> payload)
    {
        RequireName(reference, nameof(reference));
        RequireSingleLine(payload);
        output.Write(Wire.ToAck);
        output.Write(reference);
        output.WriteByte(Wire.Colon);
        output.WriteNumber(targetId);
        output.WriteByte(Wire.Colon);
        output.Write(payload);
        output.WriteByte(Wire.LineFeed);
    }

    /// <summary><c>ALL:&lt;message&gt;</c></summary>
    public static void All(IBufferWriter<byte> output, ReadOnlySpan<byte> payload)
    {
        RequireSingleLine(payload);
        output.Write(Wire.All);
        output.Write(payload);
        output.WriteByte(Wire.LineFeed);
    }

    /// <summary><c>JOIN:&lt;room&gt;</c></summary>
    public static void Join(IBufferWriter<byte> output, ReadOnlySpan<byte> room) => NameCommand(output, Wire.Join, room);

    /// <summary><c>LEAVE:&lt;room&gt;</c></summary>
    public static void Leave(IBufferWriter<byte> output, ReadOnlySpan<byte> room) => NameCommand(output, Wire.Leave, room);

    /// <summary><c>ROOM:&lt;room&gt;:&lt;message&gt;</c></summary>
    public static void Room(IBufferWriter<byte> output, ReadOnlySpan<byte> room, ReadOnlySpan<byte> payload)
    {
        RequireName(room, nameof(room));
        RequireSingleLine(payload);
        output.Write(Wire.Room);
        output.Write(room);
        output.WriteByte(Wire.Colon);
        output.Write(payload);
        output.WriteByte(Wire.LineFeed);
    }

    /// <summary><c>ROOMS</c>, or <c>ROOMS:&lt;after&gt;</c> for the page after room <paramref name="after"/>.</summary>
    public static void Rooms(IBufferWriter<byte> output, ReadOnlySpan<byte> after = default)
    {
        output.Write(Wire.Rooms);
        if (!after.IsEmpty)
        {
            RequireName(after, nameof(after));
            output.WriteByte(Wire.Colon);
            output.Write(after);
        }

        output.WriteByte(Wire.LineFeed);
    }

    /// <summary><c>MEMBERS:&lt;room&gt;</c>, or <c>MEMBERS:&lt;room&gt;:&lt;after&gt;</c> for the page after id <paramref name="after"/>.</summary>
    public static void Members(IBufferWriter<byte> output, ReadOnlySpan<byte> room, long after = 0)
    {
        RequireName(room, nameof(room));
        output.Write(Wire.Members);
        output.Write(room);
        if (after > 0)
        {
            output.WriteByte(Wire.Colon);
            output.WriteNumber(after);
        }

        output.WriteByte(Wire.LineFeed);
    }

    /// <summary><c>WHO</c>, or <c>WHO:&lt;after&gt;</c> for the page after id <paramref name="after"/>.</summary>
    public static void Who(IBufferWriter<byte> output, long after = 0)
    {
        output.Write(Wire.Who);
        if (after > 0)
        {
            output.WriteByte(Wire.Colon);
            output.WriteNumber(after);
        }

        output.WriteByte(Wire.LineFeed);
    }

    /// <summary><c>WATCH:ON</c> or <c>WATCH:OFF</c></summary>
    public static void Watch(IBufferWriter<byte> output, bool on)
    {
        output.Write(Wire.Watch);
        output.Write(on ? Wire.On : Wire.Off);
        output.WriteByte(Wire.LineFeed);
    }

    /// <summary><c>PING</c></summary>
    public static void Ping(IBufferWriter<byte> output)
    {
        output.Write(Wire.Ping);
        output.WriteByte(Wire.LineFeed);
    }

    /// <summary><c>QUIT</c></summary>
    public static void Quit(IBufferWriter<byte> output)
    {
        output.Write(Wire.Quit);
        output.WriteByte(Wire.LineFeed);
    }

    private static void NameCommand(IBufferWriter<byte> output, ReadOnlySpan<byte> keyword, ReadOnlySpan<byte> name)
    {
        RequireName(name, nameof(name));
        output.Write(keyword);
        output.Write(name);
        output.WriteByte(Wire.LineFeed);
    }

    private static void RequireSingleLine(ReadOnlySpan<byte> payload)
    {
        if (payload.Contains(Wire.LineFeed))
            throw new ArgumentException("A message cannot contain a line feed: it would end the line.", nameof(payload));
    }

    private static void RequireName(ReadOnlySpan<byte> name, string parameter)
    {
        if (!Names.IsValid(name))
            throw new ArgumentException("Room names and refs are 1-64 characters of A-Z a-z 0-9 _ . -", parameter);
    }
}
