using System.Diagnostics;

namespace Relay.Actors.Session;

/// <summary>
/// What a client may still send: a token bucket of lines and one of bytes, refilled by the clock
/// at <see cref="ConnectionSettings.LinesPerSecond"/> and <see cref="ConnectionSettings.BytesPerSecond"/>
/// up to one <see cref="ConnectionSettings.RateBurst"/> of each. Bytes are counted as they are read,
/// lines as they end, so a line too long to relay costs its bytes all the same. A read or a line may
/// take the buckets below zero (nothing is refused for its length); reading waits until both are
/// above it again (the rest of a read waits too).
/// </summary>
/// <remarks>
/// Kept as two numbers and a timestamp, refilled (up to the burst) at each read and when a bucket
/// is used up: no timer, no allocation, no clock per line. Not thread-safe: owned by one session.
/// </remarks>
internal sealed class InputAllowance
{
    private readonly double _linesPerTick;
    private readonly double _bytesPerTick;
    private readonly double _lineBurst;
    private readonly double _byteBurst;
    private double _lines;
    private double _bytes;
    private readonly Func<long> _clock;
    private long _refilled;

    /// <param name="settings">The rates and the burst.</param>
    /// <param name="clock">Stopwatch ticks; tests pass their own.</param>
    public InputAllowance(ConnectionSettings settings, Func<long>? clock = null)
    {
        _clock = clock ?? Stopwatch.GetTimestamp;
        IsOn = settings.LinesPerSecond > 0 || settings.BytesPerSecond > 0;
        var burstSeconds = settings.RateBurst.TotalSeconds;
        _linesPerTick = settings.LinesPerSecond / (double)Stopwatch.Frequency;
        _bytesPerTick = settings.BytesPerSecond / (double)Stopwatch.Frequency;
        _lineBurst = settings.LinesPerSecond > 0 ? settings.LinesPerSecond * burstSeconds : double.MaxValue;
        _byteBurst = settings.BytesPerSecond > 0 ? settings.BytesPerSecond * burstSeconds : double.MaxValue;
        _lines = _lineBurst;
        _bytes = _byteBurst;
        _refilled = _clock();
    }

    /// <summary>False when both limits are off (0): every question is answered without the clock.</summary>
    public bool IsOn { get; }

    /// <summary>The client may send more now.</summary>
    public bool IsLeft
    {
        get
        {
            // Between reads the clock is read only once a bucket is used up: a client within its
            // allowance costs a subtraction per line.
            if (!IsOn || (_lines > 0 && _bytes > 0))
                return true;
            Refill();
            return _lines > 0 && _bytes > 0;
        }
    }

    /// <summary>How long until <see cref="IsLeft"/> holds again (zero if it does).</summary>
    public TimeSpan UntilLeft
    {
        get
        {
            if (IsLeft)
                return TimeSpan.Zero;
            var ticks = Math.Max(
                _lines > 0 ? 0 : (-_lines + 1) / _linesPerTick,
                _bytes > 0 ? 0 : (-_bytes + 1) / _bytesPerTick);
            return TimeSpan.FromSeconds(ticks / Stopwatch.Frequency);
        }
    }

    /// <summary>The client sent a line.</summary>
    public void TakeLine() => _lines -= 1;

    /// <summary>
    /// The node read <paramref name="bytes"/> from the client; call it before the read's lines are
    /// counted. The buckets are brought up to the clock first: refilled only once one is used up,
    /// they would be credited the time they sat full too (a full bucket earns nothing), and a client
    /// that waited a while after a line could then send twice its burst at once.
    /// </summary>
    public void Read(int bytes)
    {
        if (IsOn)
            Refill();
        _bytes -= bytes;
    }

    private void Refill()
    {
        var now = _clock();
        var elapsed = now - _refilled;
        _refilled = now;
        if (_linesPerTick > 0)
            _lines = Math.Min(_lineBurst, _lines + elapsed * _linesPerTick);
        if (_bytesPerTick > 0)
            _bytes = Math.Min(_byteBurst, _bytes + elapsed * _bytesPerTick);
    }
}
