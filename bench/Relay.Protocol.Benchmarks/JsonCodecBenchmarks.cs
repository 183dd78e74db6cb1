using System.Buffers;
using BenchmarkDotNet.Attributes;
using Relay.Protocol.Json;

namespace Relay.Protocol.Benchmarks;

/// <summary>
/// The JSON codec per message, beside the text codec: what a node does with one message from a
/// JSON client (translate the object to its <c>TO:</c> line, parse it) and for one JSON recipient
/// (write the <c>FROM:</c> line, translate it to its object). The target is zero allocated bytes,
/// as for text.
/// </summary>
[MemoryDiagnoser]
public class JsonCodecBenchmarks
{
    private const string Payload = "0000000042xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx";

    private static readonly byte[] TextTo = System.Text.Encoding.ASCII.GetBytes("TO:12345:" + Payload);
    private static readonly byte[] JsonTo = System.Text.Encoding.ASCII.GetBytes("{\"op\":\"to\",\"to\":12345,\"text\":\"" + Payload + "\"}");
    private static readonly byte[] TextFrom = System.Text.Encoding.ASCII.GetBytes("FROM:7:" + Payload);
    private static readonly byte[] PayloadBytes = System.Text.Encoding.ASCII.GetBytes(Payload);

    private readonly ArrayBufferWriter<byte> _line = new(1024);
    private readonly ArrayBufferWriter<byte> _from = new(1024);
    private readonly ArrayBufferWriter<byte> _output = new(1024);

    /// <summary>Text in: parse one <c>TO:</c> line.</summary>
    [Benchmark(Baseline = true)]
    public long TextParseTo() => CommandParser.Parse(TextTo).TargetId;

    /// <summary>JSON in: translate one <c>{"op":"to",…}</c> object to its line (strict checks), then parse that.</summary>
    [Benchmark]
    public long JsonToTextThenParse()
    {
        _line.ResetWrittenCount();
        JsonCommands.ToText(JsonTo, _line, out _);
        return CommandParser.Parse(_line.WrittenSpan).TargetId;
    }

    /// <summary>Text out: write one <c>FROM:</c> line.</summary>
    [Benchmark]
    public int TextWriteFrom()
    {
        _output.ResetWrittenCount();
        ServerLines.From(_output, 7, PayloadBytes);
        return _output.WrittenCount;
    }

    /// <summary>JSON out: the <c>FROM:</c> line as its object (what a JSON recipient's session does per line).</summary>
    [Benchmark]
    public int JsonWriteFrom()
    {
        _output.ResetWrittenCount();
        JsonServerLines.ToJson(TextFrom, default, _output);
        return _output.WrittenCount;
    }

    /// <summary>One message through the node, text to text: parse the TO line, write the FROM line.</summary>
    [Benchmark]
    public int TextRelayOne()
    {
        _output.ResetWrittenCount();
        var command = CommandParser.Parse(TextTo);
        ServerLines.From(_output, 7, command.Payload);
        return _output.WrittenCount;
    }

    /// <summary>One message through the node, JSON to JSON: object to line, parse, FROM line, line to object.</summary>
    [Benchmark]
    public int JsonRelayOne()
    {
        _line.ResetWrittenCount();
        _from.ResetWrittenCount();
        _output.ResetWrittenCount();
        JsonCommands.ToText(JsonTo, _line, out _);
        var command = CommandParser.Parse(_line.WrittenSpan);
        ServerLines.From(_from, 7, command.Payload);
        JsonServerLines.ToJson(_from.WrittenSpan[..^1], default, _output);
        return _output.WrittenCount;
    }
}
