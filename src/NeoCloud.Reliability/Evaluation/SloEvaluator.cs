using NeoCloud.Reliability.Budgets;
using NeoCloud.Reliability.Slos;

namespace NeoCloud.Reliability.Evaluation;

/// <summary>
/// Evaluates one objective of an event-counted (Occurrences) ratio SLO from an <see cref="SliSeries"/>, with the semantics
/// of the exported Prometheus rules: a window pair alerts when both its windows burn above the factor and, with the
/// traffic guard on, the long window saw at least the minimum events.
/// </summary>
/// <remarks>
/// A window's ratio is bad over total events in its buckets. For counters scraped once a bucket that is exactly what
/// Prometheus 2's <c>rate()</c> over a closed range gives: the extrapolation factor is the same for bad and total, so it
/// cancels in the ratio, and a counter that starts at zero is not extrapolated before its first sample. The period's
/// budget is counted over events; the exported rule averages the 5m ratios instead (as Sloth does), which agrees only when
/// traffic is even.
/// </remarks>
public sealed class SloEvaluator
{
    private static readonly TimeSpan CurrentWindow = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan[] ForecastWindows = [TimeSpan.FromHours(1), TimeSpan.FromHours(6)];

    private readonly double _budget;
    private readonly double[] _thresholds;
    private readonly TimeSpan[] _readWindows;

    public SloEvaluator(SloSpec slo, SloObjective objective, IReadOnlyList<BurnRateWindow>? defaultWindows = null, double? defaultMinimumEvents = null)
        : this(slo, objective, defaultWindows, defaultMinimumEvents, countsSlices: false)
    {
    }

    /// <summary>
    /// With <paramref name="countsSlices"/> the series it reads holds time-slice outcomes (the <see cref="SloBook"/> keeps
    /// them for Timeslices and RatioTimeslices ratio SLOs): bad slices over slices, or error ratios in fixed point.
    /// </summary>
    internal SloEvaluator(SloSpec slo, SloObjective objective, IReadOnlyList<BurnRateWindow>? defaultWindows, double? defaultMinimumEvents, bool countsSlices)
    {
        ArgumentNullException.ThrowIfNull(slo);
        ArgumentNullException.ThrowIfNull(objective);
        bool slices = slo.BudgetingMethod is BudgetingMethod.Timeslices or BudgetingMethod.RatioTimeslices;
        if (slo.Indicator.Kind != SliKind.Ratio || (slices != countsSlices))
        {
            throw new ArgumentException($"SLO {slo.Service}/{slo.Name} is not an event-counted ratio SLO (Occurrences); time slices are not evaluated here yet.", nameof(slo));
        }

        Slo = slo;
        Objective = objective;
        Period = slo.TimeWindow.Duration;
        Windows = slo.Alerting.Windows ?? defaultWindows ?? BurnRatePolicy.Workbook;
        MinimumEvents = slo.Alerting.MinimumEvents ?? defaultMinimumEvents ?? BurnRatePolicy.DefaultMinimumEvents;
        _budget = (double)objective.ErrorBudget;

        // The exporter writes the factor to six decimals and Prometheus multiplies it by the budget: do the same.
        _thresholds = [.. Windows.Select(w => (double)decimal.Round(w.FactorFor(Period), 6) * _budget)];
        var read = new SortedSet<TimeSpan>(Windows.SelectMany(w => new[] { w.LongWindow, w.ShortWindow })) { CurrentWindow };
        read.UnionWith(ForecastWindows);
        _readWindows = [.. read];
    }

    public SloSpec Slo { get; }

    public SloObjective Objective { get; }

    public TimeSpan Period { get; }

    public IReadOnlyList<BurnRateWindow> Windows { get; }

    public double MinimumEvents { get; }

    /// <summary>Every window an evaluation reads besides the period, shortest first.</summary>
    internal IReadOnlyList<TimeSpan> ReadWindows => _readWindows;

    /// <summary>A series long enough for the period and every window, in buckets of <paramref name="bucket"/> (30s or 1m is usual).</summary>
    public SliSeries CreateSeries(TimeSpan bucket)
    {
        var longest = _readWindows[^1] > Period ? _readWindows[^1] : Period;
        long buckets = (longest.Ticks + bucket.Ticks - 1) / bucket.Ticks;
        var series = new SliSeries(bucket, TimeSpan.FromTicks(buckets * bucket.Ticks));
        Track(series);
        return series;
    }

    /// <summary>Makes every window this evaluator reads an O(1) read at the series' newest instant.</summary>
    public void Track(SliSeries series)
    {
        ArgumentNullException.ThrowIfNull(series);
        foreach (var window in _readWindows)
        {
            series.Track(window);
        }

        series.Track(Period);
    }

    public SloEvaluation Evaluate(SliSeries series, DateTimeOffset at) => Evaluate(series, series, at);

    /// <summary>
    /// Evaluates <paramref name="series"/> with the traffic guard counting the events of <paramref name="traffic"/>: for a
    /// time-slice SLO the series holds slices and the traffic its events, as the exported rules guard on the event rate.
    /// </summary>
    internal SloEvaluation Evaluate(SliSeries series, SliSeries traffic, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(traffic);
        Track(series);
        var readings = new WindowReading[_readWindows.Length];
        for (int i = 0; i < readings.Length; i++)
        {
            readings[i] = Read(series, at, _readWindows[i]);
        }

        var period = Read(series, at, Period);
        double remaining = period.Total == 0 ? 1 : 1 - period.BurnRate;

        var forecasts = new ExhaustionForecast[ForecastWindows.Length];
        for (int i = 0; i < forecasts.Length; i++)
        {
            var reading = Find(readings, ForecastWindows[i]);
            forecasts[i] = new ExhaustionForecast(reading.Window, reading.BurnRate, TimeLeft(remaining, reading.BurnRate, Period));
        }

        var firing = new List<BurnRateWindow>();
        for (int i = 0; i < Windows.Count; i++)
        {
            var window = Windows[i];
            var longReading = Find(readings, window.LongWindow);
            var shortReading = Find(readings, window.ShortWindow);

            // NaN (no events) compares false, as the filter does in PromQL.
            bool burning = shortReading.ErrorRatio > _thresholds[i] && longReading.ErrorRatio > _thresholds[i];
            long events = ReferenceEquals(traffic, series) ? longReading.Total : traffic.Sum(at, window.LongWindow).Total;
            bool enoughTraffic = MinimumEvents <= 0 || events >= MinimumEvents;
            if (burning && enoughTraffic)
            {
                firing.Add(window);
            }
        }

        return new SloEvaluation(at, readings, period, remaining, forecasts, firing);
    }

    /// <summary>
    /// Time until the remaining share of the budget is spent at a constant burn rate: a burn rate of 1 spends the whole
    /// budget in one period, so <paramref name="remaining"/> of it lasts remaining × period ÷ burn rate.
    /// </summary>
    public static TimeSpan? TimeLeft(double remaining, double burnRate, TimeSpan period)
    {
        if (remaining <= 0)
        {
            return TimeSpan.Zero;
        }

        if (double.IsNaN(burnRate) || burnRate <= 0)
        {
            return null;
        }

        double ticks = remaining * period.Ticks / burnRate;
        return ticks >= TimeSpan.MaxValue.Ticks ? null : TimeSpan.FromTicks((long)ticks);
    }

    private WindowReading Read(SliSeries series, DateTimeOffset at, TimeSpan window)
    {
        var counts = series.Sum(at, window);
        double ratio = counts.ErrorRatio;
        return new WindowReading(window, counts.Bad, counts.Total, ratio, ratio / _budget);
    }

    private static WindowReading Find(WindowReading[] readings, TimeSpan window)
    {
        foreach (var reading in readings)
        {
            if (reading.Window == window)
            {
                return reading;
            }
        }

        throw new InvalidOperationException($"The window {window} was not read.");
    }
}
