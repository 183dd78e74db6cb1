using System.Net;

namespace Relay.Bench;

/// <summary>RelayChat's clients: the id from <c>YOUR_ID</c>, <c>TO:</c> lines (text or JSON, TCP or UDP), <c>FROM:</c> back.</summary>
internal sealed class RelayClientWire(BenchOptions options) : ClientWire
{
    public override Task<BenchConnection> ConnectAsync(EndPoint node, int index, CancellationToken cancellation) =>
        BenchConnection.ConnectAsync(node, options, cancellation);

    public override byte[] MessageTemplate(long targetId, ReadOnlySpan<byte> payload, out int payloadOffset) =>
        BenchWire.MessageTemplate(options.Json, targetId, payload, out payloadOffset);

    public override ILineReader NewReader() => new Reader(options.Json);

    /// <summary>RelayChat's lines stand alone, so reading needs no state: <see cref="BenchWire.Read"/>.</summary>
    private sealed class Reader(bool json) : ILineReader
    {
        public ReceivedKind Read(ReadOnlySpan<byte> line, out ReadOnlySpan<byte> text) => BenchWire.Read(json, line, out text);
    }
}
