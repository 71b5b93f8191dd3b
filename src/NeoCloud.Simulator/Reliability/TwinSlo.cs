using System.Globalization;
using NeoCloud.Reliability.Alerting;
using NeoCloud.Reliability.Budgets;
using NeoCloud.Reliability.Evaluation;
using NeoCloud.Reliability.Export;
using NeoCloud.Reliability.Incidents;
using NeoCloud.Reliability.Slos;

namespace NeoCloud.Simulator.Reliability;

/// <summary>
/// One objective of one SLO over the twin: its events in an <see cref="SliSeries"/> for the <see cref="SloEvaluator"/>, the
/// same events in an <see cref="SliRecord"/> as ground truth, and one burn-rate alert per window pair that fires while the
/// evaluator says it burns.
/// </summary>
internal sealed class TwinSlo
{
    /// <summary>An ended alert is still reported (resolved) this long, so the pipeline sends its resolution.</summary>
    private static readonly TimeSpan KeepResolved = TimeSpan.FromMinutes(30);

    private readonly Alert?[] _alerts;
    private readonly double[] _thresholds;

    public TwinSlo(SloSpec slo, SloObjective objective, int indicator)
    {
        Evaluator = new SloEvaluator(slo, objective);
        Series = Evaluator.CreateSeries(SliRecord.Bucket);
        Indicator = indicator;
        _alerts = new Alert?[Evaluator.Windows.Count];

        // Computed here from the policy, not read back from the evaluator, so the ground truth does not lean on it.
        double budget = (double)objective.ErrorBudget;
        _thresholds = [.. Evaluator.Windows.Select(w => (double)decimal.Round(w.FactorFor(Evaluator.Period), 6) * budget)];
    }

    public SloEvaluator Evaluator { get; }

    public SliSeries Series { get; }

    public SliRecord Truth { get; } = new();

    public int Indicator { get; }

    public string Name => Evaluator.Slo.Name;

    public SloEvaluation? Last { get; private set; }

    /// <summary>The start of the first minute recorded: the twin starts with no history, where a real region has months.</summary>
    public DateTimeOffset? HistoryStart { get; private set; }

    /// <summary>
    /// Whether the recorded history covers the window pair's long window at <paramref name="at"/>. Before that a long
    /// window holds a few minutes standing in for a day, and a fleet that starts with one broken GPU would "burn" a 3-day
    /// budget; the twin evaluates a pair only once its whole long window has been recorded, as a region with history would.
    /// </summary>
    public bool Covers(BurnRateWindow window, DateTimeOffset at) => HistoryStart is { } first && at - window.LongWindow >= first;

    public void Record(DateTimeOffset at, WindowCounts counts)
    {
        HistoryStart ??= new DateTimeOffset(at.UtcTicks / SliRecord.Bucket.Ticks * SliRecord.Bucket.Ticks, TimeSpan.Zero);
        Series.RecordBad(at, counts.Bad, counts.Total);
        Truth.Add(at, counts.Bad, counts.Total);
    }

    /// <summary>
    /// Evaluates over the whole minutes before <paramref name="now"/> (a minute boundary) and starts or ends each window
    /// pair's alert at <paramref name="now"/>.
    /// </summary>
    public void Evaluate(DateTimeOffset now)
    {
        Last = Evaluator.Evaluate(Series, BeforeMinute(now));
        for (int i = 0; i < _alerts.Length; i++)
        {
            var window = Evaluator.Windows[i];
            bool fires = Last.Firing.Contains(window) && Covers(window, now);
            var alert = _alerts[i];
            if (fires && (alert is null || alert.EndsAt is not null))
            {
                _alerts[i] = NewAlert(window, now);
            }
            else if (!fires && alert is { EndsAt: null })
            {
                _alerts[i] = alert.ResolvedAt(now);
            }
        }
    }

    /// <summary>The alerts firing, and those ended within the last half hour.</summary>
    public IEnumerable<Alert> Alerts(DateTimeOffset now)
    {
        for (int i = 0; i < _alerts.Length; i++)
        {
            if (_alerts[i] is { } alert && (alert.EndsAt is null || alert.EndsAt.Value + KeepResolved > now))
            {
                yield return alert;
            }
        }
    }

    /// <summary>
    /// Ground truth: whether the recorded events of the whole minutes before <paramref name="at"/> burn window pair
    /// <paramref name="window"/> — both windows' error ratios above the pair's threshold and the long window holding the
    /// minimum events.
    /// </summary>
    public bool Burns(BurnRateWindow window, DateTimeOffset at)
    {
        int i = IndexOf(window);
        if (!Covers(window, at))
        {
            return false;
        }

        var longCounts = Truth.Sum(BeforeMinute(at), window.LongWindow);
        var shortCounts = Truth.Sum(BeforeMinute(at), window.ShortWindow);
        bool enough = Evaluator.MinimumEvents <= 0 || longCounts.Total >= Evaluator.MinimumEvents;
        return enough && longCounts.ErrorRatio > _thresholds[i] && shortCounts.ErrorRatio > _thresholds[i];
    }

    /// <summary>The window pair an alert of this SLO stands for, by its <c>neocloud_window</c> and severity.</summary>
    public BurnRateWindow? WindowOf(Alert alert)
    {
        foreach (var window in Evaluator.Windows)
        {
            if (alert[RuleNames.WindowLabel] == Format(window.LongWindow) && alert[IncidentLabels.Severity] == SeverityName(window.Severity))
            {
                return window;
            }
        }

        return null;
    }

    public static string Format(TimeSpan span) =>
        span.TotalDays >= 1 && span.Ticks % TimeSpan.TicksPerDay == 0 ? string.Create(CultureInfo.InvariantCulture, $"{(long)span.TotalDays}d")
        : span.Ticks % TimeSpan.TicksPerHour == 0 ? string.Create(CultureInfo.InvariantCulture, $"{(long)span.TotalHours}h")
        : string.Create(CultureInfo.InvariantCulture, $"{(long)span.TotalMinutes}m");

    /// <summary>The last instant before <paramref name="at"/>: a window read there ends with the minute before a boundary.</summary>
    public static DateTimeOffset BeforeMinute(DateTimeOffset at) => at - TimeSpan.FromTicks(1);

    public static string SeverityName(AlertSeverity severity) => severity == AlertSeverity.Page ? "page" : "ticket";

    private int IndexOf(BurnRateWindow window)
    {
        for (int i = 0; i < Evaluator.Windows.Count; i++)
        {
            if (Evaluator.Windows[i] == window)
            {
                return i;
            }
        }

        throw new ArgumentException($"{window} is not a window pair of SLO {Name}.", nameof(window));
    }

    private Alert NewAlert(BurnRateWindow window, DateTimeOffset now)
    {
        var slo = Evaluator.Slo;
        bool page = window.Severity == AlertSeverity.Page;
        var labels = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["alertname"] = page ? RuleNames.PageAlert : RuleNames.TicketAlert,
            [IncidentLabels.Severity] = SeverityName(window.Severity),
            [RuleNames.SloLabel] = slo.Name,
            [RuleNames.ServiceLabel] = slo.Service,
            [RuleNames.ObjectiveLabel] = Evaluator.Objective.Name,
            [RuleNames.WindowLabel] = Format(window.LongWindow),
        };
        var annotations = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["summary"] = string.Create(
                CultureInfo.InvariantCulture,
                $"{slo.Service}/{slo.Name} burns its error budget over {Format(window.LongWindow)} and {Format(window.ShortWindow)} faster than {window.FactorFor(Evaluator.Period):0.##}x"),
        };
        return new Alert(labels, now, null, annotations);
    }
}
