using System.Text;

namespace Relay.Protocol.Tests;

/// <summary>Records what a framer delivers, as text; "!TOO_LONG" marks an overlong line.</summary>
internal sealed class RecordingSink : ILineSink
{
    public const string TooLong = "!TOO_LONG";

    public List<string> Lines { get; } = new();

    public void OnLine(ReadOnlySpan<byte> line) => Lines.Add(Encoding.UTF8.GetString(line));

    public void OnLineTooLong() => Lines.Add(TooLong);

    /// <summary>Full once it holds this many lines (a sink whose replies wait to be sent).</summary>
    public int FullAt { get; set; } = int.MaxValue;

    public bool IsFull => Lines.Count >= FullAt;
}
