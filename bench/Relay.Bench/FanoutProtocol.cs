using System.Buffers;
using System.Text;
using Relay.Protocol;

namespace Relay.Bench;

/// <summary>
/// How the fan-out workload speaks to the server it measures: RelayChat rooms and broadcasts, or the
/// pub/sub of the peers a user would otherwise pick (Redis, NATS, through the same
/// <see cref="PeerWire"/> as the one-to-one workloads), so that all run the same job.
/// </summary>
internal abstract class FanoutProtocol
{
    /// <summary>RelayChat, Redis pub/sub or NATS core pub/sub.</summary>
    public static FanoutProtocol For(BenchServer server, bool broadcast) => server switch
    {
        BenchServer.Relay => new RelayChatFanout(broadcast),
        _ when broadcast => throw new ArgumentException("--broadcast is RelayChat's; peers are measured with a channel (room) only"),
        _ => new PeerFanout(PeerWire.For(server)),
    };

    /// <summary>True when a connection starts with a YOUR_ID line.</summary>
    public virtual bool Welcomes => false;

    /// <summary>
    /// What a client sends before the run: a receiver subscribes (joins the room); the sender gets
    /// ready to publish (a RelayChat sender must be a member; a Redis or NATS one must not subscribe,
    /// or it would get its own messages). Empty: nothing to wait for. Its answer is a
    /// <see cref="ReceivedKind.Greeting"/>.
    /// </summary>
    public abstract byte[] Setup(string channel, bool sender);

    /// <summary>One published message of <paramref name="payloadBytes"/> bytes, and where its payload starts.</summary>
    public abstract byte[] Message(string channel, int payloadBytes, out int payloadOffset);

    /// <summary>A reader for one connection's lines: a delivered message is <see cref="ReceivedKind.From"/>, its text the payload.</summary>
    public abstract ILineReader NewReader();

    /// <summary>Once every setup is answered: waits until each subscription is known on every one of <paramref name="nodes"/>.</summary>
    public virtual Task SettleAsync(int nodes, CancellationToken cancellation) => Task.CompletedTask;

    private sealed class RelayChatFanout(bool broadcast) : FanoutProtocol
    {
        public override bool Welcomes => true;

        public override byte[] Setup(string channel, bool sender) => broadcast ? [] : Encoding.ASCII.GetBytes($"JOIN:{channel}\n");

        public override byte[] Message(string channel, int payloadBytes, out int payloadOffset)
        {
            var line = new ArrayBufferWriter<byte>();
            var payload = new byte[payloadBytes];
            if (broadcast)
                ClientLines.All(line, payload);
            else
                ClientLines.Room(line, Encoding.ASCII.GetBytes(channel), payload);
            payloadOffset = line.WrittenCount - 1 - payloadBytes;
            return line.WrittenSpan.ToArray();
        }

        public override ILineReader NewReader() => new Reader();

        /// <summary><c>OK:JOIN</c> answers the setup; room and broadcast lines are deliveries; anything else is an error.</summary>
        private sealed class Reader : ILineReader
        {
            public ReceivedKind Read(ReadOnlySpan<byte> line, out ReadOnlySpan<byte> text)
            {
                var parsed = ServerLine.Parse(line);
                text = parsed.Text;
                return parsed.Kind switch
                {
                    ServerLineKind.Room or ServerLineKind.Broadcast => ReceivedKind.From,
                    ServerLineKind.Ok => ReceivedKind.Greeting,
                    _ => ReceivedKind.Other,
                };
            }
        }
    }

    /// <summary>A channel (subject) that the receivers subscribe to and the sender publishes to.</summary>
    private sealed class PeerFanout(PeerWire wire) : FanoutProtocol
    {
        public override byte[] Setup(string channel, bool sender) => wire.Handshake(sender ? null : channel);

        public override byte[] Message(string channel, int payloadBytes, out int payloadOffset) =>
            wire.Publish(channel, new byte[payloadBytes], out payloadOffset);

        public override ILineReader NewReader() => wire.NewReader();

        public override Task SettleAsync(int nodes, CancellationToken cancellation) => PeerWire.SettleAsync(nodes, cancellation);
    }
}
