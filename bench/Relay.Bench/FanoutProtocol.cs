using System.Buffers;
using System.Text;
using Relay.Protocol;

namespace Relay.Bench;

/// <summary>
/// How the fan-out workload speaks to the server it measures: RelayChat rooms and broadcasts, or the
/// pub/sub of the peers a user would otherwise pick (Redis, NATS), so that all run the same job.
/// </summary>
internal abstract class FanoutProtocol
{
    /// <summary>RelayChat, Redis pub/sub or NATS core pub/sub, by name.</summary>
    public static FanoutProtocol For(string server, bool broadcast) => server switch
    {
        "relay" => new RelayChatFanout(broadcast),
        "redis" when !broadcast => new RedisFanout(),
        "nats" when !broadcast => new NatsFanout(),
        "redis" or "nats" => throw new ArgumentException("--broadcast is RelayChat's; peers are measured with a channel (room) only"),
        _ => throw new ArgumentException($"--server must be relay, redis or nats, not '{server}'"),
    };

    /// <summary>True when a connection starts with a YOUR_ID line.</summary>
    public virtual bool Welcomes => false;

    /// <summary>
    /// What a client sends before the run: a receiver subscribes (joins the room); the sender gets
    /// ready to publish (a RelayChat sender must be a member; a Redis or NATS one must not subscribe,
    /// or it could not publish, or would get its own messages). Empty: nothing to wait for.
    /// </summary>
    public abstract byte[] Setup(string channel, bool sender);

    /// <summary>One published message with <paramref name="payload"/>; the payload is at the end, before the terminator.</summary>
    public abstract byte[] Message(string channel, byte[] payload);

    /// <summary>Bytes after the payload in <see cref="Message"/> (the terminator).</summary>
    public virtual int TrailerBytes => 1;

    /// <summary>The line that confirms <see cref="Setup"/>.</summary>
    public abstract bool IsReady(ReadOnlySpan<byte> line);

    /// <summary>The payload of a delivered message, if the line is one.</summary>
    public abstract bool TryDelivered(ReadOnlySpan<byte> line, int payloadBytes, out ReadOnlySpan<byte> payload);

    /// <summary>A line that means something went wrong (counted as an error), as opposed to protocol noise.</summary>
    public abstract bool IsError(ReadOnlySpan<byte> line);

    private sealed class RelayChatFanout(bool broadcast) : FanoutProtocol
    {
        public override bool Welcomes => true;

        public override byte[] Setup(string channel, bool sender) => broadcast ? [] : Encoding.ASCII.GetBytes($"JOIN:{channel}\n");

        public override byte[] Message(string channel, byte[] payload)
        {
            var line = new ArrayBufferWriter<byte>();
            if (broadcast)
                ClientLines.All(line, payload);
            else
                ClientLines.Room(line, Encoding.ASCII.GetBytes(channel), payload);
            return line.WrittenSpan.ToArray();
        }

        public override bool IsReady(ReadOnlySpan<byte> line) => ServerLine.Parse(line).Kind == ServerLineKind.Ok;

        public override bool TryDelivered(ReadOnlySpan<byte> line, int payloadBytes, out ReadOnlySpan<byte> payload)
        {
            var parsed = ServerLine.Parse(line);
            payload = parsed.Text;
            return parsed.Kind is ServerLineKind.Room or ServerLineKind.Broadcast;
        }

        public override bool IsError(ReadOnlySpan<byte> line) => true;
    }

    /// <summary>Redis 7 pub/sub in inline commands; a delivered payload is a bulk string on a line of its own.</summary>
    private sealed class RedisFanout : FanoutProtocol
    {
        public override byte[] Setup(string channel, bool sender) => Encoding.ASCII.GetBytes(sender ? "PING\r\n" : $"SUBSCRIBE {channel}\r\n");

        public override byte[] Message(string channel, byte[] payload) => [.. Encoding.ASCII.GetBytes($"PUBLISH {channel} "), .. payload, (byte)'\r', (byte)'\n'];

        public override int TrailerBytes => 2;

        public override bool IsReady(ReadOnlySpan<byte> line) => line.SequenceEqual("subscribe"u8) || line.SequenceEqual("+PONG"u8);

        public override bool TryDelivered(ReadOnlySpan<byte> line, int payloadBytes, out ReadOnlySpan<byte> payload)
        {
            payload = line;
            return line.Length == payloadBytes && (uint)(line[0] - '0') <= 9;
        }

        public override bool IsError(ReadOnlySpan<byte> line) => line.StartsWith("-"u8);
    }

    /// <summary>NATS core pub/sub; a delivered payload is the line after its MSG line.</summary>
    private sealed class NatsFanout : FanoutProtocol
    {
        public override byte[] Setup(string channel, bool sender) =>
            Encoding.ASCII.GetBytes($"CONNECT {{\"verbose\":false,\"pedantic\":false}}\r\n{(sender ? "" : $"SUB {channel} 1\r\n")}PING\r\n");

        public override byte[] Message(string channel, byte[] payload) =>
            [.. Encoding.ASCII.GetBytes($"PUB {channel} {payload.Length}\r\n"), .. payload, (byte)'\r', (byte)'\n'];

        public override int TrailerBytes => 2;

        public override bool IsReady(ReadOnlySpan<byte> line) => line.SequenceEqual("PONG"u8);

        public override bool TryDelivered(ReadOnlySpan<byte> line, int payloadBytes, out ReadOnlySpan<byte> payload)
        {
            payload = line;
            return line.Length == payloadBytes && (uint)(line[0] - '0') <= 9;
        }

        public override bool IsError(ReadOnlySpan<byte> line) => line.StartsWith("-ERR"u8);
    }
}
