using System.Diagnostics;
using Relay.Actors.Session;

namespace Relay.Actors.Tests.Session;

/// <summary>The token buckets of the rate limit, on a clock the test moves.</summary>
public sealed class InputAllowanceTests
{
    private long _now;

    [Fact]
    public void Grants_at_most_its_burst_at_once_however_long_the_client_was_quiet()
    {
        var allowance = Allowance("lines-per-second = 1000");
        // One line, then ten seconds of quiet: the bucket is full again after a millisecond, and
        // stays full; the rest of that time earns nothing.
        allowance.Read(5);
        allowance.TakeLine();
        _now += 10 * Stopwatch.Frequency;

        allowance.Read(5000);
        for (var i = 0; i < 1000; i++)
            allowance.TakeLine();

        Assert.False(allowance.IsLeft, "more than the burst was allowed at once");
        Assert.InRange(allowance.UntilLeft, TimeSpan.FromMilliseconds(0.9), TimeSpan.FromMilliseconds(1.1));
    }

    [Fact]
    public void Counts_every_byte_read_whether_or_not_it_ends_a_line()
    {
        var allowance = Allowance("bytes-per-second = 1 KiB");

        // Two seconds' worth, and not one line.
        allowance.Read(2048);

        Assert.False(allowance.IsLeft, "bytes that made no line were free");
        _now += Stopwatch.Frequency;
        Assert.False(allowance.IsLeft);
        _now += Stopwatch.Frequency / 100;
        Assert.True(allowance.IsLeft);
    }

    private InputAllowance Allowance(string rates) => new(
        ConnectionSettings.Create(RelayNode.LoadConfig(overrides: $$"""
            relay.connection.rate-limit { lines-per-second = 0, bytes-per-second = 0, burst = 1s }
            relay.connection.rate-limit { {{rates}} }
            """)),
        () => _now);
}
