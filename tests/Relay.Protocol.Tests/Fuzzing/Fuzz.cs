using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Xunit.Abstractions;

namespace Relay.Protocol.Tests.Fuzzing;

/// <summary>
/// Runs a property over generated cases. Three modes, chosen by the environment:
/// <list type="bullet">
/// <item>default: a fixed number of cases from fixed seeds, sizes growing from small to
/// <see cref="MaxSize"/> — the same cases on every run, fast;</item>
/// <item><c>RELAY_FUZZ_SECONDS=n</c>: random seeds for n seconds in all, shared equally among the
/// properties (scripts/fuzz.sh);</item>
/// <item><c>RELAY_FUZZ_CASE=&lt;seed&gt;:&lt;size&gt;</c>: that one case, as a failure printed it.</item>
/// </list>
/// A failure names the property, its seed and size, and every input of the case byte for byte.
/// </summary>
public static class Fuzz
{
    public const int MaxSize = 100;

    // Fixed so that the default run is the same run everywhere; each property mixes in its name.
    private const ulong DefaultRoot = 0x52454C4159434854;

    private static readonly Lazy<int> PropertyCount = new(() => typeof(Fuzz).Assembly.GetTypes()
        .SelectMany(type => type.GetMethods())
        .Count(method => method.IsDefined(typeof(PropertyAttribute), inherit: false)));

    /// <summary>Checks <paramref name="property"/> on <paramref name="cases"/> cases (or for the fuzz mode's time).</summary>
    public static void Check(ITestOutputHelper output, int cases, Action<Gen> property, [CallerMemberName] string name = "")
    {
        if (Environment.GetEnvironmentVariable("RELAY_FUZZ_CASE") is { Length: > 0 } replay)
        {
            var (seed, size) = ParseCase(replay);
            Run(name, property, seed, size, "replayed case");
            return;
        }

        if (FuzzSeconds() is { } seconds)
        {
            RunFor(output, name, property, TimeSpan.FromSeconds(seconds / PropertyCount.Value));
            return;
        }

        var state = DefaultRoot ^ StableHash(name);
        for (var i = 0; i < cases; i++)
        {
            var seed = Next(ref state);
            Run(name, property, seed, 1 + i * MaxSize / cases, $"case {i + 1} of {cases}");
        }
    }

    private static void RunFor(ITestOutputHelper output, string name, Action<Gen> property, TimeSpan time)
    {
        var root = BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8));
        var state = root;
        var clock = Stopwatch.StartNew();
        long count = 0;
        do
        {
            var seed = Next(ref state);
            // Sizes cycle so that small cases keep being tried among the big ones.
            Run(name, property, seed, 1 + (int)(count % MaxSize), $"fuzz case {count + 1}");
            count++;
        }
        while (clock.Elapsed < time);

        output.WriteLine($"{name}: {count:N0} cases in {clock.Elapsed.TotalSeconds:F1} s from root seed 0x{root:X16}, no failure");
    }

    private static void Run(string name, Action<Gen> property, ulong seed, int size, string which)
    {
        var gen = new Gen(seed, size);
        try
        {
            property(gen);
        }
        catch (Exception e)
        {
            throw new PropertyFailedException(Report(name, gen, seed, size, which, e), e);
        }
    }

    private static string Report(string name, Gen gen, ulong seed, int size, string which, Exception e)
    {
        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"{name} failed on {which}: {e.GetType().Name}: {e.Message}");
        report.AppendLine(CultureInfo.InvariantCulture, $"replay: RELAY_FUZZ_CASE=0x{seed:X16}:{size} dotnet test tests/Relay.Protocol.Tests -c Release --filter \"FullyQualifiedName~{name}\"");
        foreach (var (label, bytes) in gen.Inputs)
            report.AppendLine(CultureInfo.InvariantCulture, $"{label} ({bytes.Length} bytes): {Literal.Of(bytes)}");
        return report.ToString();
    }

    private static double? FuzzSeconds() =>
        Environment.GetEnvironmentVariable("RELAY_FUZZ_SECONDS") is { Length: > 0 } text
            ? double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
                ? seconds
                : throw new ArgumentException($"RELAY_FUZZ_SECONDS must be a positive number of seconds, got '{text}'")
            : null;

    private static (ulong Seed, int Size) ParseCase(string text)
    {
        var parts = text.Split(':');
        var seedText = parts[0].StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? parts[0][2..] : parts[0];
        if (parts.Length != 2 || !ulong.TryParse(seedText, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var seed)
            || !int.TryParse(parts[1], CultureInfo.InvariantCulture, out var size))
            throw new ArgumentException($"RELAY_FUZZ_CASE must be <hex seed>:<size> as a failure printed it, got '{text}'");
        return (seed, size);
    }

    private static ulong Next(ref ulong state) => new Gen(state++ * 0xD1B54A32D192ED03, 0).NextULong();

    // string.GetHashCode differs per process: a default run must pick the same seeds every time.
    private static ulong StableHash(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in text)
            hash = (hash ^ c) * 1099511628211UL;
        return hash;
    }
}

/// <summary>A property failed; the message holds everything needed to replay the case.</summary>
public sealed class PropertyFailedException(string message, Exception inner) : Exception(message, inner);

/// <summary>
/// Bytes as readable text (<c>\xNN</c> for what is not printable ASCII) and as the exact hex a
/// regression test takes with <see cref="Convert.FromHexString(string)"/>.
/// </summary>
public static class Literal
{
    private const int Shown = 4096;

    public static string Of(byte[] bytes)
    {
        var shown = bytes.Length <= Shown ? bytes : bytes[..Shown];
        var text = new StringBuilder("\"");
        foreach (var b in shown)
        {
            text.Append(b switch
            {
                (byte)'"' => "\\\"",
                (byte)'\\' => "\\\\",
                (byte)'\n' => "\\n",
                (byte)'\r' => "\\r",
                (byte)'\t' => "\\t",
                >= 0x20 and < 0x7F => ((char)b).ToString(),
                _ => $"\\x{b:X2}",
            });
        }

        text.Append('"');
        var cut = bytes.Length > Shown ? $" … (first {Shown} bytes; replay the case for all)" : "";
        return $"{text}{cut}\n    hex: {Convert.ToHexString(shown)}{cut}";
    }
}
