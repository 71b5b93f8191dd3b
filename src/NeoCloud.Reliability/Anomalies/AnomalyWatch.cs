using System.Globalization;
using NeoCloud.Reliability.Alerting;
using NeoCloud.Reliability.Incidents;

namespace NeoCloud.Reliability.Anomalies;

/// <summary>
/// Watches many series (one metric of one node, say) for departures from their own seasonal baselines. Samples arriving
/// faster than the baseline's step are averaged into it, each series gets its own <see cref="AnomalyDetector"/>, and a
/// departure becomes an <see cref="Anomaly"/> once (for the caller to record as a finding) and a <c>metric-anomaly</c>
/// alert that fires while the series stays out and for <see cref="AnomalyWatchOptions.Hold"/> after. Not thread-safe.
/// </summary>
public sealed class AnomalyWatch
{
    /// <summary>The alert name of a series that left its baseline.</summary>
    public const string AlertName = "metric-anomaly";

    public const string MetricLabel = "metric";

    private readonly AnomalyWatchOptions _options;
    private readonly Dictionary<(string Metric, string Key), Series> _series = [];

    public AnomalyWatch(AnomalyWatchOptions? options = null)
    {
        _options = options ?? new AnomalyWatchOptions();
        _options.Detector.Validate();

        // Built once to check the options: a wrong step, slot or season fails here, not at the first sample.
        _ = new SeasonalBaseline(_options.Step, _options.Season, _options.SlotWidth, _options.Seasons);
    }

    public int SeriesCount => _series.Count;

    /// <summary>
    /// Adds one sample of <paramref name="metric"/> for the series named by <paramref name="key"/> (a node id, say), with the
    /// labels its alert carries (<c>node</c>, <c>site</c>). Returns the anomaly when this sample closes a step that makes
    /// the series anomalous for the first time in its run, else null.
    /// </summary>
    public Anomaly? Observe(string metric, string key, IReadOnlyDictionary<string, string> labels, DateTimeOffset at, double value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(metric);
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        if (!double.IsFinite(value))
        {
            return null;
        }

        if (!_series.TryGetValue((metric, key), out var series))
        {
            var baseline = new SeasonalBaseline(_options.Step, _options.Season, _options.SlotWidth, _options.Seasons);
            series = new Series(new AnomalyDetector(metric, baseline, _options.Detector), labels);
            _series.Add((metric, key), series);
        }

        long step = at.UtcTicks / _options.Step.Ticks;
        Anomaly? raised = null;
        if (series.Count > 0 && step != series.Step)
        {
            raised = Close(series);
        }

        if (series.Count == 0 || step != series.Step)
        {
            series.Step = step;
            series.Sum = 0;
            series.Count = 0;
        }

        series.Sum += value;
        series.Count++;
        return raised;
    }

    /// <summary>Every anomaly alert that fires at <paramref name="now"/> or ended within the hold.</summary>
    public IReadOnlyList<Alert> Alerts(DateTimeOffset now)
    {
        var alerts = new List<Alert>();
        foreach (var ((metric, _), series) in _series)
        {
            if (series.Raised is not { } anomaly)
            {
                continue;
            }

            DateTimeOffset? ends = series.Detector.IsAnomalous ? null : series.LastAnomalousAt + _options.Hold;
            if (ends is { } end && end + _options.Hold <= now)
            {
                series.Raised = null;
                continue;
            }

            var labels = new Dictionary<string, string>(series.Labels, StringComparer.Ordinal)
            {
                ["alertname"] = AlertName,
                [MetricLabel] = metric,
                [IncidentLabels.Severity] = _options.Severity,
            };
            if (series.FindingId is { } finding)
            {
                labels[IncidentLabels.Finding] = finding;
            }

            var annotations = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["summary"] = string.Create(
                    CultureInfo.InvariantCulture,
                    $"{metric} {anomaly.Direction.ToString().ToLowerInvariant()} its seasonal baseline: {anomaly.Value:0.##} where {anomaly.Expected:0.##} is usual (score {anomaly.Score:0.0})"),
            };
            alerts.Add(new Alert(labels, anomaly.Since, ends is { } e && e <= now ? e : null, annotations));
        }

        return alerts;
    }

    /// <summary>Names the finding an anomaly was recorded as, so its alert links to it.</summary>
    public void Recorded(Anomaly anomaly, string key, string findingId)
    {
        if (_series.TryGetValue((anomaly.Metric, key), out var series))
        {
            series.FindingId = findingId;
        }
    }

    private Anomaly? Close(Series series)
    {
        var at = new DateTimeOffset(series.Step * _options.Step.Ticks, TimeSpan.Zero);
        var anomaly = series.Detector.Observe(at, series.Sum / series.Count);
        if (series.Detector.IsAnomalous)
        {
            series.LastAnomalousAt = at;
        }

        if (anomaly is not null)
        {
            series.Raised = anomaly;
            series.FindingId = null;
        }

        return anomaly;
    }

    private sealed class Series(AnomalyDetector detector, IReadOnlyDictionary<string, string> labels)
    {
        public AnomalyDetector Detector { get; } = detector;

        public IReadOnlyDictionary<string, string> Labels { get; } = labels;

        public long Step { get; set; }

        public double Sum { get; set; }

        public int Count { get; set; }

        public Anomaly? Raised { get; set; }

        public DateTimeOffset LastAnomalousAt { get; set; }

        public string? FindingId { get; set; }
    }
}
