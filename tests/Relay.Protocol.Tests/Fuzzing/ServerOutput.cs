using System.Buffers;
using System.Text;
using Relay.Protocol.Json;

namespace Relay.Protocol.Tests.Fuzzing;

/// <summary>Every line a node sends, written by <see cref="ServerLines"/> with random arguments.</summary>
public static class ServerOutput
{
    /// <summary>
    /// A server line (terminator removed) and the <c>ref</c> its JSON form carries: the reference
    /// of the command it answers, or for a receipt its own.
    /// </summary>
    public static byte[] Line(Gen g, out byte[] reference)
    {
        var output = new ArrayBufferWriter<byte>();
        reference = g.Bool() ? [] : Commands.Name(g);
        var id = Commands.Id(g);
        var payload = Text.Utf8(g, allowCarriageReturn: true);
        switch (g.Below(22))
        {
            case 0: ServerLines.YourId(output, id); break;
            case 1: ServerLines.From(output, id, payload); break;
            case 2: ServerLines.Broadcast(output, id, payload); break;
            case 3: ServerLines.RoomMessage(output, Commands.Name(g), id, payload); break;
            case 4: ServerLines.Ok(output, g.Pick(["JOIN:"u8.ToArray(), "LEAVE:"u8.ToArray()]), Commands.Name(g)); break;
            case 5: ServerLines.Ok(output, "WATCH"u8, g.Bool() ? Wire.On : Wire.Off); break;
            case 6: ServerLines.Presence(output, g.Bool(), id); break;
            case 7:
                reference = Commands.Name(g);
                ServerLines.Delivered(output, reference);
                break;
            case 8:
                reference = Commands.Name(g);
                ServerLines.NotDelivered(output, reference, (ReceiptFailure)g.Below(5), id);
                break;
            case 9: ServerLines.IdPage(output, g.Bool() ? [] : Commands.Name(g), g.Below(3) == 0 ? 0 : Commands.Id(g), Ids(g), g.Bool()); break;
            case 10: ServerLines.RoomPage(output, Rooms(g), g.Bool()); break;
            case 11: ServerLines.Pong(output); break;
            case 12: ServerLines.Reconnect(output); break;
            case 13: ServerLines.Invalid(output, g.Pick([ErrorCode.UnknownCommand, ErrorCode.BadFormat, ErrorCode.BadEncoding, ErrorCode.BadName]), (CommandKind)g.Below(15)); break;
            case 14: ServerLines.UnknownTarget(output, id); break;
            case 15: ServerLines.TooLong(output, g.Between(1, int.MaxValue)); break;
            case 16: ServerLines.ServerFull(output, g.Between(0, int.MaxValue)); break;
            case 17: ServerLines.NotMember(output, Commands.Name(g)); break;
            case 18: ServerLines.TooManyRooms(output, g.Between(0, 1000)); break;
            case 19:
                g.Pick<Action<IBufferWriter<byte>>>([ServerLines.OneCommandPerDatagram, ServerLines.RelayedLookalike, ServerLines.PageTooLarge, ServerLines.NoSession])(output);
                break;
            case 20: ServerLines.AddressFull(output, g.Between(1, 1000)); break;
            default:
                return JsonCodecError(g, ref reference);
        }

        return output.WrittenSpan[..^1].ToArray();
    }

    /// <summary>The error the JSON codec answers a bad object with, as the session sends it (the codec's ref on it).</summary>
    private static byte[] JsonCodecError(Gen g, ref byte[] reference)
    {
        while (true)
        {
            var json = g.Bool() ? JsonNoise.ClientObject(g) : Mutations.Mutate(g, Commands.Json(g, Commands.Valid(g, lineBreakFree: true), g.Bool() ? [] : Commands.Name(g)));
            var error = new ArrayBufferWriter<byte>();
            if (JsonCommands.ToText(json, error, out var codecRef))
                continue;
            g.Show("json refused", json);
            var line = error.WrittenSpan.ToArray();
            // A NOT_DELIVERED carries its own ref; any other error echoes the object's.
            reference = codecRef.ToArray();
            return line;
        }
    }

    /// <summary>A page of ids in ascending order, as a list holds them.</summary>
    private static long[] Ids(Gen g)
    {
        var ids = new SortedSet<long>();
        for (var count = g.Below(g.Size + 1); count > 0; count--)
            ids.Add(Commands.Id(g));
        return ids.ToArray();
    }

    private static List<(string Room, long Members)> Rooms(Gen g) =>
        Enumerable.Range(0, g.Below(g.Size / 4 + 1))
            .Select(_ => Encoding.ASCII.GetString(Commands.Name(g)))
            .Distinct()
            .Order(StringComparer.Ordinal)
            .Select(room => (room, (long)g.Between(1, 100_000)))
            .ToList();
}
