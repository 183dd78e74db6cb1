using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;

namespace Relay.Protocol.Benchmarks;

/// <summary>
/// The relay hot path, per 8 KiB chunk of 64-byte messages (what one socket read delivers):
/// frame, parse, and write the relayed FROM lines. The target is zero allocated bytes.
/// </summary>
[MemoryDiagnoser]
public class CodecBenchmarks
{
    private readonly byte[] _chunk = BuildChunk();
    private readonly LineFramer _framer = new(64 * 1024);
    private readonly ArrayBufferWriter<byte> _output = new(16 * 1024);
    private readonly CountingSink _count = new();
    private RelaySink _relay = null!;

    [GlobalSetup]
    public void Setup() => _relay = new RelaySink(_output);

    /// <summary>Frame the chunk into lines only.</summary>
    [Benchmark]
    public int Frame()
    {
        _count.Lines = 0;
        _framer.Feed(_chunk, _count);
        return _count.Lines;
    }

    /// <summary>Frame, parse every line, write its FROM line: the whole per-message codec work.</summary>
    [Benchmark]
    public int FrameParseWrite()
    {
        _output.ResetWrittenCount();
        _framer.Feed(_chunk, _relay);
        return _output.WrittenCount;
    }

    /// <summary>Parse one line.</summary>
    [Benchmark]
    public long ParseOne() => CommandParser.Parse("TO:12345:0000000042xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"u8).TargetId;

    private static byte[] BuildChunk()
    {
        var line = "TO:12345:" + new string('x', 64) + "\n";
        var builder = new StringBuilder();
        while (builder.Length + line.Length <= 8192)
            builder.Append(line);
        return Encoding.ASCII.GetBytes(builder.ToString());
    }

    private sealed class CountingSink : ILineSink
    {
        public int Lines { get; set; }

        public void OnLine(ReadOnlySpan<byte> line) => Lines++;

        public void OnLineTooLong()
        {
        }
    }

    private sealed class RelaySink(IBufferWriter<byte> output) : ILineSink
    {
        public void OnLine(ReadOnlySpan<byte> line)
        {
            var command = CommandParser.Parse(line);
            if (command.Kind == CommandKind.To)
                ServerLines.From(output, 7, command.Payload);
        }

        public void OnLineTooLong()
        {
        }
    }
}
