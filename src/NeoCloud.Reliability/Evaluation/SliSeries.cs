namespace NeoCloud.Reliability.Evaluation;

/// <summary>
/// Bad and total event counts of one SLI in fixed time buckets, kept in a ring buffer preallocated to cover a retention
/// (the SLO period), so recording a sample never allocates. A bucket holds the events whose instant falls in
/// [start, start + bucket); a window read at t is the last whole number of buckets up to and including t's own.
/// </summary>
/// <remarks>
/// Each slot remembers which absolute bucket it holds, so a slot left over from a lap ago reads as empty and no "head"
/// has to be swept forward when time jumps. Not thread-safe: one writer, or a lock around it.
/// </remarks>
public sealed class SliSeries
{
    private readonly long[] _bucketOf;
    private readonly long[] _bad;
    private readonly long[] _total;
    private readonly long _bucketTicks;

    public SliSeries(TimeSpan bucket, TimeSpan retention)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(bucket, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(retention, bucket);
        if (retention.Ticks % bucket.Ticks != 0)
        {
            throw new ArgumentException($"The retention {retention} is not a whole number of {bucket} buckets.", nameof(retention));
        }

        Bucket = bucket;
        _bucketTicks = bucket.Ticks;
        int capacity = checked((int)(retention.Ticks / bucket.Ticks));
        _bucketOf = new long[capacity];
        Array.Fill(_bucketOf, long.MinValue);
        _bad = new long[capacity];
        _total = new long[capacity];
    }

    public TimeSpan Bucket { get; }

    public TimeSpan Retention => TimeSpan.FromTicks(_bucketTicks * _bucketOf.Length);

    /// <summary>Adds events seen at <paramref name="at"/>; false when they are older than the retention and were dropped.</summary>
    public bool Record(DateTimeOffset at, long good, long total)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(good);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(good, total);
        return Add(at, total - good, total);
    }

    /// <summary>The same as <see cref="Record"/> for indicators that count the failures (<c>bad</c>) rather than the successes.</summary>
    public bool RecordBad(DateTimeOffset at, long bad, long total)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bad);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bad, total);
        return Add(at, bad, total);
    }

    /// <summary>The events of the <paramref name="window"/> ending with the bucket that holds <paramref name="at"/>.</summary>
    public WindowCounts Sum(DateTimeOffset at, TimeSpan window)
    {
        int buckets = BucketsIn(window);
        long last = BucketIndex(at);
        long bad = 0;
        long total = 0;
        for (long index = last - buckets + 1; index <= last; index++)
        {
            int slot = Slot(index);
            if (_bucketOf[slot] == index)
            {
                bad += _bad[slot];
                total += _total[slot];
            }
        }

        return new WindowCounts(bad, total);
    }

    /// <summary>How many buckets make <paramref name="window"/>; it must be a whole number of them within the retention.</summary>
    public int BucketsIn(TimeSpan window)
    {
        if (window <= TimeSpan.Zero || window.Ticks % _bucketTicks != 0 || window.Ticks / _bucketTicks > _bucketOf.Length)
        {
            throw new ArgumentException($"The window {window} is not a whole number of {Bucket} buckets within the retention of {Retention}.", nameof(window));
        }

        return (int)(window.Ticks / _bucketTicks);
    }

    private bool Add(DateTimeOffset at, long bad, long total)
    {
        long index = BucketIndex(at);
        int slot = Slot(index);
        long held = _bucketOf[slot];
        if (held > index)
        {
            // The slot already holds a later lap: these events are older than anything the period still counts.
            return false;
        }

        if (held < index)
        {
            _bucketOf[slot] = index;
            _bad[slot] = 0;
            _total[slot] = 0;
        }

        _bad[slot] += bad;
        _total[slot] += total;
        return true;
    }

    private long BucketIndex(DateTimeOffset at) => at.UtcTicks / _bucketTicks;

    private int Slot(long index) => (int)(index % _bucketOf.Length);
}
