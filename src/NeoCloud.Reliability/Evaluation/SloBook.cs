using NeoCloud.Reliability.Budgets;
using NeoCloud.Reliability.Slos;

namespace NeoCloud.Reliability.Evaluation;

/// <summary>
/// The SLOs a region declares, each with its event series and one evaluator per objective: the host records events as
/// they happen and evaluates every SLO together on a timer (every 30 s), and each evaluation reads its windows in O(1).
/// </summary>
/// <remarks>
/// SLOs are known by name within a book. Ratio SLOs only: Occurrences count events; Timeslices and RatioTimeslices keep,
/// per objective, a second series of slice outcomes (a slice with no events is not counted) updated as events land in the
/// slice. Threshold indicators are refused: the book records event counts, not values. Thread-safe: one lock around
/// everything, and <see cref="Record"/> allocates nothing.
/// </remarks>
public sealed class SloBook
{
    /// <summary>Fixed-point scale of a slice's error ratio under RatioTimeslices: a slice holds (ratio × scale, scale).</summary>
    internal const long RatioScale = 1_000_000_000;

    private static readonly TimeSpan DefaultSlice = TimeSpan.FromMinutes(1);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly IReadOnlyList<BurnRateWindow>? _defaultWindows;
    private readonly double? _defaultMinimumEvents;

    public SloBook(TimeSpan bucket, IReadOnlyList<BurnRateWindow>? defaultWindows = null, double? defaultMinimumEvents = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(bucket, TimeSpan.Zero);
        Bucket = bucket;
        _defaultWindows = defaultWindows;
        _defaultMinimumEvents = defaultMinimumEvents;
    }

    public TimeSpan Bucket { get; }

    public IReadOnlyCollection<SloSpec> Slos
    {
        get
        {
            lock (_gate)
            {
                return [.. _entries.Values.Select(e => e.Spec)];
            }
        }
    }

    /// <summary>
    /// Adds an SLO or replaces the one of the same name. The replacement keeps the recorded events when its indicator and
    /// period are unchanged (time-slice outcomes are rebuilt from them); otherwise it starts empty.
    /// </summary>
    /// <exception cref="ArgumentException">The SLO cannot be evaluated here: a threshold indicator, or windows or slices that are not whole buckets.</exception>
    public void Upsert(SloSpec slo)
    {
        ArgumentNullException.ThrowIfNull(slo);
        var entry = Build(slo);
        lock (_gate)
        {
            if (_entries.TryGetValue(slo.Name, out var old)
                && old.Spec.Indicator == slo.Indicator
                && old.Spec.TimeWindow.Duration == slo.TimeWindow.Duration
                && old.Events.Retention == entry.Events.Retention)
            {
                entry = entry with { Events = old.Events };
                foreach (var objective in entry.Objectives)
                {
                    // The kept series may lack the running sums of windows the new version reads.
                    TrackTraffic(entry.Events, objective.Evaluator);
                    if (objective.Slices is null)
                    {
                        objective.Evaluator.Track(entry.Events);
                    }
                    else
                    {
                        Rebuild(entry.Events, objective);
                    }
                }
            }

            _entries[slo.Name] = entry;
        }
    }

    public bool Remove(string name)
    {
        lock (_gate)
        {
            return _entries.Remove(name);
        }
    }

    /// <summary>
    /// Adds <paramref name="total"/> events seen at <paramref name="at"/>, <paramref name="good"/> of them good. False when
    /// no SLO has that name or the events are older than its period.
    /// </summary>
    public bool Record(string sloName, DateTimeOffset at, long good, long total)
    {
        ArgumentNullException.ThrowIfNull(sloName);
        ArgumentOutOfRangeException.ThrowIfNegative(good);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(good, total);
        lock (_gate)
        {
            return _entries.TryGetValue(sloName, out var entry) && Record(entry, at, good, total);
        }
    }

    /// <summary>
    /// Records the events of a built-in SLI into every SLO that uses it: those of <paramref name="tenant"/> and those with no
    /// tenant (they measure the whole region). For latency SLIs use <see cref="RecordLatency"/>. Returns how many SLOs took them.
    /// </summary>
    public int RecordBuiltIn(string sli, string? tenant, DateTimeOffset at, long good, long total)
    {
        ArgumentNullException.ThrowIfNull(sli);
        ArgumentOutOfRangeException.ThrowIfNegative(good);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(good, total);
        int taken = 0;
        lock (_gate)
        {
            foreach (var entry in _entries.Values)
            {
                if (Uses(entry.Spec, sli, tenant) && Record(entry, at, good, total))
                {
                    taken++;
                }
            }
        }

        return taken;
    }

    /// <summary>
    /// Records one latency of a built-in latency SLI (api-latency, job-start-latency): good for each SLO whose threshold
    /// it does not exceed. Returns how many SLOs took it.
    /// </summary>
    public int RecordLatency(string sli, string? tenant, DateTimeOffset at, TimeSpan latency)
    {
        ArgumentNullException.ThrowIfNull(sli);
        int taken = 0;
        lock (_gate)
        {
            foreach (var entry in _entries.Values)
            {
                if (Uses(entry.Spec, sli, tenant) && entry.Spec.Indicator.LatencyThreshold is { } threshold
                    && Record(entry, at, latency <= threshold ? 1 : 0, 1))
                {
                    taken++;
                }
            }
        }

        return taken;
    }

    /// <summary>Evaluates every objective of every SLO at <paramref name="at"/>; each status is also kept for <see cref="StatusOf"/>.</summary>
    public IReadOnlyList<SloStatus> Evaluate(DateTimeOffset at)
    {
        lock (_gate)
        {
            var statuses = new List<SloStatus>(_entries.Count);
            foreach (var entry in _entries.Values)
            {
                foreach (var objective in entry.Objectives)
                {
                    objective.Last = Evaluate(entry, objective, at);
                    statuses.Add(objective.Last);
                }
            }

            return statuses;
        }
    }

    /// <summary>The last evaluation of an objective (the SLO's only or first one when <paramref name="objective"/> is null); null before any.</summary>
    public SloStatus? StatusOf(string sloName, string? objective = null)
    {
        lock (_gate)
        {
            if (!_entries.TryGetValue(sloName, out var entry))
            {
                return null;
            }

            var state = objective is null ? entry.Objectives[0] : entry.Objectives.FirstOrDefault(o => o.Evaluator.Objective.Name == objective);
            return state?.Last;
        }
    }

    private static bool Uses(SloSpec slo, string sli, string? tenant) =>
        slo.Indicator.BuiltIn == sli && (slo.Tenant is null || slo.Tenant == tenant);

    private static bool Record(Entry entry, DateTimeOffset at, long good, long total)
    {
        var events = entry.Events;
        if (!entry.HasSlices)
        {
            return events.Record(at, good, total);
        }

        // Read each slice objective's slice before and after, and move its outcome by the difference.
        foreach (var objective in entry.Objectives)
        {
            if (objective.Slices is not null)
            {
                objective.Before = SliceCounts(events, objective, at);
            }
        }

        if (!events.Record(at, good, total))
        {
            return false;
        }

        foreach (var objective in entry.Objectives)
        {
            if (objective.Slices is { } slices)
            {
                var before = Outcome(objective, objective.Before);
                var after = Outcome(objective, SliceCounts(events, objective, at));
                if (before != after)
                {
                    slices.Adjust(SliceStart(at, objective.Slice), after.Bad - before.Bad, after.Total - before.Total);
                }
            }
        }

        return true;
    }

    private static DateTimeOffset SliceStart(DateTimeOffset at, TimeSpan slice) =>
        new(at.UtcTicks - (at.UtcTicks % slice.Ticks), TimeSpan.Zero);

    private static WindowCounts SliceCounts(SliSeries events, ObjectiveState objective, DateTimeOffset at)
    {
        var lastBucket = SliceStart(at, objective.Slice) + objective.Slice - events.Bucket;
        return events.ScanEndingAt(lastBucket, (int)(objective.Slice.Ticks / events.Bucket.Ticks));
    }

    /// <summary>What one slice adds to the outcome series: nothing when empty, else a bad/good slice or its error ratio in fixed point.</summary>
    private static WindowCounts Outcome(ObjectiveState objective, WindowCounts slice)
    {
        if (slice.Total == 0)
        {
            return default;
        }

        if (objective.Evaluator.Slo.BudgetingMethod == BudgetingMethod.RatioTimeslices)
        {
            return new WindowCounts((long)Math.Round(slice.ErrorRatio * RatioScale), RatioScale);
        }

        bool good = 1 - slice.ErrorRatio >= (double)objective.Evaluator.Objective.TimeSliceTarget!.Value;
        return new WindowCounts(good ? 0 : 1, 1);
    }

    /// <summary>Recomputes every slice the event series still holds into a fresh outcome series.</summary>
    private static void Rebuild(SliSeries events, ObjectiveState objective)
    {
        if (events.Newest is not { } newest || objective.Slices is not { } slices)
        {
            return;
        }

        var last = SliceStart(newest, objective.Slice);
        var first = last - (events.Retention < slices.Retention ? events.Retention : slices.Retention) + objective.Slice;
        for (var start = first; start <= last; start += objective.Slice)
        {
            var outcome = Outcome(objective, SliceCounts(events, objective, start));
            if (outcome.Total > 0)
            {
                slices.Adjust(start, outcome.Bad, outcome.Total);
            }
        }
    }

    private static SloStatus Evaluate(Entry entry, ObjectiveState objective, DateTimeOffset at)
    {
        var evaluator = objective.Evaluator;
        var evaluation = objective.Slices is { } slices
            ? evaluator.Evaluate(slices, entry.Events, at)
            : evaluator.Evaluate(entry.Events, at);
        var slo = entry.Spec;
        long events = objective.Slices is null ? evaluation.Period.Total : entry.Events.Sum(at, evaluator.Period).Total;
        return new SloStatus(
            slo.Name,
            slo.Service,
            evaluator.Objective.Name,
            slo.Tenant,
            slo.LineOfBusiness,
            evaluator.Objective.Target,
            evaluator.Period,
            slo.BudgetingMethod,
            evaluation.Period.ErrorRatio,
            evaluation.BudgetRemaining,
            evaluation.Reading(TimeSpan.FromMinutes(5)).BurnRate,
            evaluation.Reading(TimeSpan.FromHours(1)).BurnRate,
            evaluation.Reading(TimeSpan.FromHours(6)).BurnRate,
            evaluation.Period.BurnRate,
            evaluation.Windows,
            evaluation.Forecasts,
            evaluation.Firing,
            events,
            at);
    }

    private Entry Build(SloSpec slo)
    {
        if (slo.Indicator.Kind != SliKind.Ratio)
        {
            throw new ArgumentException($"SLO {slo.Service}/{slo.Name}: a threshold indicator is evaluated by Prometheus from its exported rules, not by the SLO book (it records event counts).", nameof(slo));
        }

        bool slices = slo.BudgetingMethod != BudgetingMethod.Occurrences;
        var objectives = new ObjectiveState[slo.Objectives.Count];
        TimeSpan longest = slo.TimeWindow.Duration;
        for (int i = 0; i < objectives.Length; i++)
        {
            var objective = slo.Objectives[i];
            var evaluator = new SloEvaluator(slo, objective, _defaultWindows, _defaultMinimumEvents, slices);
            var slice = slices ? objective.TimeSliceWindow ?? DefaultSlice : Bucket;
            RequireWhole(slo, slice, Bucket, "bucket");
            foreach (var window in evaluator.ReadWindows.Append(evaluator.Period))
            {
                RequireWhole(slo, window, slice, slices ? "time slice" : "bucket");
                longest = window > longest ? window : longest;
            }

            objectives[i] = new ObjectiveState(evaluator, slice, slices ? evaluator.CreateSeries(slice) : null);
        }

        long buckets = (longest.Ticks + Bucket.Ticks - 1) / Bucket.Ticks;
        var events = new SliSeries(Bucket, TimeSpan.FromTicks(buckets * Bucket.Ticks));
        foreach (var objective in objectives)
        {
            if (!slices)
            {
                objective.Evaluator.Track(events);
            }

            TrackTraffic(events, objective.Evaluator);
        }

        return new Entry(slo, events, objectives, slices);
    }

    /// <summary>The event series answers the traffic guard's long windows and the period's event count in O(1) too.</summary>
    private static void TrackTraffic(SliSeries events, SloEvaluator evaluator)
    {
        foreach (var window in evaluator.Windows)
        {
            events.Track(window.LongWindow);
        }

        events.Track(evaluator.Period);
    }

    private static void RequireWhole(SloSpec slo, TimeSpan window, TimeSpan unit, string what)
    {
        if (window.Ticks % unit.Ticks != 0)
        {
            throw new ArgumentException($"SLO {slo.Service}/{slo.Name}: the window {window} is not a whole number of {unit} {what}s.", nameof(slo));
        }
    }

    private sealed record Entry(SloSpec Spec, SliSeries Events, ObjectiveState[] Objectives, bool HasSlices);

    private sealed class ObjectiveState(SloEvaluator evaluator, TimeSpan slice, SliSeries? slices)
    {
        public SloEvaluator Evaluator { get; } = evaluator;

        public TimeSpan Slice { get; } = slice;

        public SliSeries? Slices { get; } = slices;

        public SloStatus? Last { get; set; }

        /// <summary>Scratch for <see cref="SloBook.Record(Entry, DateTimeOffset, long, long)"/>: the slice before the events landed.</summary>
        public WindowCounts Before { get; set; }
    }
}
