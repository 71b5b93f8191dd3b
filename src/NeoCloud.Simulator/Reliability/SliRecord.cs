using NeoCloud.Reliability.Evaluation;

namespace NeoCloud.Simulator.Reliability;

/// <summary>
/// The ground truth of one SLI over a whole run: cumulative bad and total events per minute since the first event, so any
/// window can be summed exactly, independently of the evaluator's ring buffer. A window read at t covers the whole
/// minutes ending with the minute that holds t, as the evaluator's one-minute buckets do.
/// </summary>
internal sealed class SliRecord
{
    private readonly List<long> _cumulativeBad = [];
    private readonly List<long> _cumulativeTotal = [];
    private long _firstMinute = long.MinValue;

    public static readonly TimeSpan Bucket = TimeSpan.FromMinutes(1);

    public void Add(DateTimeOffset at, long bad, long total)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bad);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bad, total);
        long minute = MinuteOf(at);
        if (_firstMinute == long.MinValue)
        {
            _firstMinute = minute;
        }

        int index = checked((int)(minute - _firstMinute));
        if (index < _cumulativeBad.Count - 1)
        {
            throw new ArgumentException($"Events at {at:O} are older than the last minute recorded.", nameof(at));
        }

        while (_cumulativeBad.Count <= index)
        {
            _cumulativeBad.Add(_cumulativeBad.Count == 0 ? 0 : _cumulativeBad[^1]);
            _cumulativeTotal.Add(_cumulativeTotal.Count == 0 ? 0 : _cumulativeTotal[^1]);
        }

        _cumulativeBad[index] += bad;
        _cumulativeTotal[index] += total;
    }

    /// <summary>The events of the <paramref name="window"/> (whole minutes) ending with the minute that holds <paramref name="at"/>.</summary>
    public WindowCounts Sum(DateTimeOffset at, TimeSpan window)
    {
        if (_firstMinute == long.MinValue)
        {
            return default;
        }

        long last = Math.Min(MinuteOf(at) - _firstMinute, _cumulativeBad.Count - 1);
        long first = MinuteOf(at) - _firstMinute - (long)(window.Ticks / Bucket.Ticks) + 1;
        if (last < 0 || first > last)
        {
            return default;
        }

        long before = first - 1;
        long bad = _cumulativeBad[(int)last] - (before >= 0 ? _cumulativeBad[(int)before] : 0);
        long total = _cumulativeTotal[(int)last] - (before >= 0 ? _cumulativeTotal[(int)before] : 0);
        return new WindowCounts(bad, total);
    }

    private static long MinuteOf(DateTimeOffset at) => at.UtcTicks / Bucket.Ticks;
}
