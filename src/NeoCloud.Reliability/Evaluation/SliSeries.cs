namespace NeoCloud.Reliability.Evaluation;

/// <summary>
/// Bad and total event counts of one SLI in fixed time buckets, kept in a ring buffer preallocated to cover a retention
/// (the SLO period), so recording a sample never allocates. A bucket holds the events whose instant falls in
/// [start, start + bucket); a window read at t is the last whole number of buckets up to and including t's own.
/// </summary>
/// <remarks>
/// Each slot remembers which absolute bucket it holds, so a slot left over from a lap ago reads as empty. Windows named
/// with <see cref="Track"/> also keep a running sum ending at the newest bucket seen (the head): a record inside such a
/// window adds to it, and moving the head forward subtracts the buckets that leave it, so reading a tracked window at the
/// head costs O(1) instead of one step per bucket (86,400 for 30 days of 30 s). Other reads scan their buckets.
/// Not thread-safe: one writer, or a lock around it (a read at a newer instant moves the head too).
/// </remarks>
public sealed class SliSeries
{
    private readonly long[] _bucketOf;
    private readonly long[] _bad;
    private readonly long[] _total;
    private readonly long _bucketTicks;
    private long _head = long.MinValue;
    private int[] _trackedBuckets = [];
    private long[] _trackedBad = [];
    private long[] _trackedTotal = [];

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

    /// <summary>Adds events seen at <paramref name="at"/>; false when they are a retention or more behind the newest bucket and were dropped.</summary>
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

    /// <summary>
    /// Keeps a running sum for <paramref name="window"/> so that reading it at the newest instant is O(1); idempotent.
    /// Counted once from the buckets already held, then maintained on every record and every move of the head.
    /// </summary>
    public void Track(TimeSpan window)
    {
        int buckets = BucketsIn(window);
        if (Array.IndexOf(_trackedBuckets, buckets) >= 0)
        {
            return;
        }

        var counts = _head == long.MinValue ? default : Scan(_head, buckets);
        _trackedBuckets = [.. _trackedBuckets, buckets];
        _trackedBad = [.. _trackedBad, counts.Bad];
        _trackedTotal = [.. _trackedTotal, counts.Total];
    }

    /// <summary>The events of the <paramref name="window"/> ending with the bucket that holds <paramref name="at"/>.</summary>
    public WindowCounts Sum(DateTimeOffset at, TimeSpan window)
    {
        int buckets = BucketsIn(window);
        long last = BucketIndex(at);
        if (last >= _head)
        {
            MoveHead(last);
            int tracked = Array.IndexOf(_trackedBuckets, buckets);
            if (tracked >= 0)
            {
                return new WindowCounts(_trackedBad[tracked], _trackedTotal[tracked]);
            }
        }

        return Scan(last, buckets);
    }

    /// <summary>The newest instant recorded or read (the start of its bucket); null while the series has seen none.</summary>
    internal DateTimeOffset? Newest => _head == long.MinValue ? null : new DateTimeOffset(_head * _bucketTicks, TimeSpan.Zero);

    /// <summary>The events of <paramref name="buckets"/> buckets ending with the one that holds <paramref name="at"/>, without moving the head.</summary>
    internal WindowCounts ScanEndingAt(DateTimeOffset at, int buckets) => Scan(BucketIndex(at), buckets);

    private WindowCounts Scan(long last, int buckets)
    {
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

    /// <summary>
    /// Adds signed amounts to the bucket of <paramref name="at"/>: the book corrects a time slice's outcome this way when
    /// more events land in it. The caller keeps every bucket's counts non-negative.
    /// </summary>
    internal bool Adjust(DateTimeOffset at, long bad, long total) => Add(at, bad, total);

    private bool Add(DateTimeOffset at, long bad, long total)
    {
        long index = BucketIndex(at);
        if (index > _head)
        {
            MoveHead(index);
        }
        else if (index <= _head - _bucketOf.Length)
        {
            // Older than the retention behind the newest bucket: no window can count these events any more.
            return false;
        }

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
        for (int i = 0; i < _trackedBuckets.Length; i++)
        {
            if (index > _head - _trackedBuckets[i])
            {
                _trackedBad[i] += bad;
                _trackedTotal[i] += total;
            }
        }

        return true;
    }

    /// <summary>Rolls the head forward to <paramref name="index"/>: every tracked window drops the buckets that left it.</summary>
    private void MoveHead(long index)
    {
        if (index <= _head)
        {
            return;
        }

        for (int i = 0; i < _trackedBuckets.Length; i++)
        {
            int n = _trackedBuckets[i];
            if (_head == long.MinValue || index - _head >= n)
            {
                _trackedBad[i] = 0;
                _trackedTotal[i] = 0;
                continue;
            }

            // Buckets (head − n, index − n] leave the window; at most n of them, and each leaves once (amortised O(1)).
            for (long gone = _head - n + 1; gone <= index - n; gone++)
            {
                int slot = Slot(gone);
                if (_bucketOf[slot] == gone)
                {
                    _trackedBad[i] -= _bad[slot];
                    _trackedTotal[i] -= _total[slot];
                }
            }
        }

        _head = index;
    }

    private long BucketIndex(DateTimeOffset at) => at.UtcTicks / _bucketTicks;

    private int Slot(long index) => (int)(index % _bucketOf.Length);
}
