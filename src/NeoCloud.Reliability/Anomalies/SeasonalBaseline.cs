namespace NeoCloud.Reliability.Anomalies;

/// <summary>
/// The seasonal baseline of one metric sampled at a fixed step: for each slot of the season (hour of the week, say) the
/// median and MAD of the samples that fell in that slot over the last <see cref="Seasons"/> whole seasons.
/// </summary>
/// <remarks>
/// Samples live in a ring preallocated for <see cref="Seasons"/> + 1 seasons (the ones the baseline reads plus the one
/// being written), so recording never allocates. Each (slot, season) cell remembers which absolute season it holds, as
/// <see cref="Evaluation.SliSeries"/> does with its buckets, so a cell left from a lap ago reads as empty. Seasons are
/// aligned to <see cref="DateTimeOffset.UtcTicks"/> zero, a Monday midnight, so a 7-day season starts on Monday 00:00 UTC.
/// A slot's reading depends only on past seasons, which do not change while the current one is written, so it is
/// computed once per slot and season and cached; a late sample written into a past season drops that cache.
/// Not thread-safe: one writer, or a lock around it.
/// </remarks>
public sealed class SeasonalBaseline
{
    /// <summary>MAD × this estimates the standard deviation of normally distributed data (1 / Φ⁻¹(3/4)).</summary>
    public const double MadToSigma = 1.4826;

    private readonly long _stepTicks;
    private readonly long _slotTicks;
    private readonly long _seasonTicks;
    private readonly int _slots;
    private readonly int _ringSeasons;
    private readonly int _perCell;

    // values[((slot * ringSeasons) + ring) * perCell + sampleInSlot]; NaN where no sample was recorded.
    private readonly double[] _values;
    private readonly long[] _seasonOf;

    private readonly long[] _cachedFor;
    private readonly BaselineReading?[] _cached;
    private readonly double[] _scratch;

    public SeasonalBaseline(TimeSpan step, TimeSpan season, TimeSpan slotWidth, int seasons)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(step, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(slotWidth, step);
        ArgumentOutOfRangeException.ThrowIfLessThan(season, slotWidth);
        ArgumentOutOfRangeException.ThrowIfLessThan(seasons, 1);
        if (slotWidth.Ticks % step.Ticks != 0)
        {
            throw new ArgumentException($"The slot width {slotWidth} is not a whole number of {step} steps.", nameof(slotWidth));
        }

        if (season.Ticks % slotWidth.Ticks != 0)
        {
            throw new ArgumentException($"The season {season} is not a whole number of {slotWidth} slots.", nameof(season));
        }

        Step = step;
        Season = season;
        SlotWidth = slotWidth;
        Seasons = seasons;
        _stepTicks = step.Ticks;
        _slotTicks = slotWidth.Ticks;
        _seasonTicks = season.Ticks;
        _slots = checked((int)(season.Ticks / slotWidth.Ticks));
        _ringSeasons = seasons + 1;
        _perCell = checked((int)(slotWidth.Ticks / step.Ticks));

        _values = new double[checked(_slots * _ringSeasons * _perCell)];
        Array.Fill(_values, double.NaN);
        _seasonOf = new long[_slots * _ringSeasons];
        Array.Fill(_seasonOf, long.MinValue);
        _cachedFor = new long[_slots];
        Array.Fill(_cachedFor, long.MinValue);
        _cached = new BaselineReading?[_slots];
        _scratch = new double[seasons * _perCell];
    }

    public TimeSpan Step { get; }

    public TimeSpan Season { get; }

    public TimeSpan SlotWidth { get; }

    /// <summary>How many past seasons a reading is taken over (K); a slot reads nothing until all of them hold samples.</summary>
    public int Seasons { get; }

    /// <summary>
    /// Records the sample of the step that holds <paramref name="at"/> (a second sample in the same step replaces the
    /// first); false when the value is not finite or older than the ring holds, and was dropped.
    /// </summary>
    public bool Record(DateTimeOffset at, double value)
    {
        if (!double.IsFinite(value))
        {
            return false;
        }

        long ticks = at.UtcTicks;
        long season = ticks / _seasonTicks;
        int slot = SlotOf(ticks);
        int cell = (slot * _ringSeasons) + (int)(season % _ringSeasons);
        long held = _seasonOf[cell];
        if (held > season)
        {
            return false;
        }

        if (held < season)
        {
            _values.AsSpan(cell * _perCell, _perCell).Fill(double.NaN);
            _seasonOf[cell] = season;
        }

        _values[(cell * _perCell) + (int)(ticks % _slotTicks / _stepTicks)] = value;
        if (_cachedFor[slot] > season)
        {
            // The cached reading of a later season was taken over this one, which has just changed.
            _cachedFor[slot] = long.MinValue;
        }

        return true;
    }

    /// <summary>
    /// The median and spread of <paramref name="at"/>'s slot over the <see cref="Seasons"/> seasons before
    /// <paramref name="at"/>'s own; null while any of them holds no sample for that slot (warm-up, or a gap).
    /// </summary>
    public BaselineReading? Read(DateTimeOffset at)
    {
        long ticks = at.UtcTicks;
        long season = ticks / _seasonTicks;
        int slot = SlotOf(ticks);
        if (_cachedFor[slot] == season)
        {
            return _cached[slot];
        }

        var reading = Compute(slot, season);
        _cachedFor[slot] = season;
        _cached[slot] = reading;
        return reading;
    }

    private BaselineReading? Compute(int slot, long season)
    {
        int count = 0;
        for (long past = season - Seasons; past < season; past++)
        {
            int cell = (slot * _ringSeasons) + (int)(past % _ringSeasons);
            if (past < 0 || _seasonOf[cell] != past)
            {
                return null;
            }

            int before = count;
            foreach (double value in _values.AsSpan(cell * _perCell, _perCell))
            {
                if (!double.IsNaN(value))
                {
                    _scratch[count++] = value;
                }
            }

            if (count == before)
            {
                return null;
            }
        }

        var samples = _scratch.AsSpan(0, count);
        double median = MedianInPlace(samples);
        foreach (ref double value in samples)
        {
            value = Math.Abs(value - median);
        }

        double mad = MedianInPlace(samples);
        return new BaselineReading(median, mad * MadToSigma, Seasons, count);
    }

    private int SlotOf(long ticks) => (int)(ticks % _seasonTicks / _slotTicks);

    /// <summary>Sorts <paramref name="values"/> (a scratch copy) and returns their median.</summary>
    private static double MedianInPlace(Span<double> values)
    {
        values.Sort();
        int middle = values.Length / 2;
        return values.Length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }
}
