using System.Net;

namespace Relay.Bench;

/// <summary>
/// The clients of a pub/sub peer (<see cref="PeerWire"/>): client <c>i</c> takes id <c>i + 1</c>,
/// subscribes to a channel named after it (with a tag of this run, so that nothing of an earlier
/// run is ever in the way), and a message to it is a publish to that channel.
/// </summary>
internal sealed class PeerClientWire(BenchOptions options) : ClientWire
{
    private readonly PeerWire _wire = PeerWire.For(options.Server);
    private readonly string _run = $"rb{Random.Shared.Next(0x100000, 0xFFFFFF):x6}";

    public override Task<BenchConnection> ConnectAsync(EndPoint node, int index, CancellationToken cancellation) =>
        BenchConnection.ConnectAsync(node, index + 1, _wire.Handshake(Channel(index + 1)), _wire.NewReader(), cancellation);

    public override Task ReadyAsync(CancellationToken cancellation) =>
        PeerWire.SettleAsync(options.Nodes.Count, cancellation);

    public override byte[] MessageTemplate(long targetId, ReadOnlySpan<byte> payload, out int payloadOffset) =>
        _wire.Publish(Channel(targetId), payload, out payloadOffset);

    public override ILineReader NewReader() => _wire.NewReader();

    private string Channel(long id) => $"{_run}.{id}";
}
