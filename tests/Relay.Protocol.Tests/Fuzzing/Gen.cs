using System.Text;

namespace Relay.Protocol.Tests.Fuzzing;

/// <summary>
/// The random source of one property case: SplitMix64 from a 64-bit seed, so that a seed printed
/// by a failure replays the same case on any machine and runtime (System.Random's seeded
/// sequence is not promised to stay the same across .NET versions). Records the inputs a case
/// makes, so that a failure can print them byte for byte.
/// </summary>
public sealed class Gen
{
    private ulong _state;
    private readonly List<(string Label, byte[] Bytes)> _inputs = new();

    public Gen(ulong seed, int size)
    {
        _state = seed;
        Size = size;
    }

    /// <summary>How big inputs may grow in this case: early cases are small, so a failure shows first on a small input.</summary>
    public int Size { get; }

    /// <summary>The inputs <see cref="Show"/> recorded, for the failure report.</summary>
    public IReadOnlyList<(string Label, byte[] Bytes)> Inputs => _inputs;

    /// <summary>Records an input so that a failure prints it; returns it.</summary>
    public byte[] Show(string label, byte[] bytes)
    {
        _inputs.Add((label, bytes));
        return bytes;
    }

    /// <summary>Records a non-byte input (a chunk split, a limit) as its text.</summary>
    public void Show(string label, string text) => _inputs.Add((label, Encoding.UTF8.GetBytes(text)));

    public ulong NextULong()
    {
        var z = _state += 0x9E3779B97F4A7C15;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }

    /// <summary>0 ≤ result &lt; <paramref name="max"/>.</summary>
    public int Below(int max) => max <= 1 ? 0 : (int)(NextULong() % (ulong)max);

    /// <summary><paramref name="min"/> ≤ result ≤ <paramref name="max"/>.</summary>
    public int Between(int min, int max) => (int)(min + (long)(NextULong() % (ulong)((long)max - min + 1)));

    /// <summary>True with probability 1/<paramref name="n"/>.</summary>
    public bool OneIn(int n) => Below(n) == 0;

    public bool Bool() => (NextULong() & 1) == 0;

    public T Pick<T>(IReadOnlyList<T> items) => items[Below(items.Count)];

    public byte Byte() => (byte)NextULong();

    /// <summary>A length up to <see cref="Size"/>, small ones likelier (most bugs live at the edges).</summary>
    public int Length() => OneIn(4) ? Below(4) : Below(Size + 1);

    /// <summary>A positive number of 1 to <paramref name="maxDigits"/> decimal digits, every length as likely.</summary>
    public long Positive(int maxDigits)
    {
        var digits = Between(1, maxDigits);
        long low = 1, high = 9;
        for (var i = 1; i < digits; i++)
        {
            low *= 10;
            high = high * 10 + 9;
        }

        return low + (long)(NextULong() % (ulong)(high - low + 1));
    }

    public byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        for (var i = 0; i < length; i++)
            bytes[i] = Byte();
        return bytes;
    }

    /// <summary>Bytes from a small alphabet that the protocol gives meaning to, so random lines hit its branches.</summary>
    public byte[] ProtocolishBytes(int length)
    {
        var bytes = new byte[length];
        for (var i = 0; i < length; i++)
            bytes[i] = Pick(Protocolish);
        return bytes;
    }

    private static readonly byte[] Protocolish = Encoding.ASCII.GetBytes("TOACKLJINRMSWHPGUQE:ado1209 \r\n\t{}\"\\,=-_.[]").Concat(new byte[] { 0, 0x80, 0xC3, 0xFF }).ToArray();
}
