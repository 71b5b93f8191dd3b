namespace NeoCloud.Reliability.Anomalies;

/// <summary>
/// Scores each new sample of one metric against its <see cref="SeasonalBaseline"/> as a robust z-score,
/// (x − median) / max(MAD·1.4826, floor), and raises an <see cref="Anomaly"/> once the score has stayed beyond the
/// threshold on one side for <see cref="AnomalyDetectorOptions.ConsecutiveSamples"/> consecutive steps.
/// </summary>
/// <remarks>
/// The run length is the hysteresis, as in the Health detectors: one spike is noise, a run is a change, and a change
/// is seen while it is still small against the metric's usual variation at that time of the season, long before a
/// fixed threshold sized for the season's peak would notice it. A run raises once; a sample back inside the threshold,
/// a missing step or a sample on the other side starts a new run. The detector is silent while the baseline warms up
/// (fewer than K seasons of the slot seen). Every finite sample is recorded, anomalous or not, so a lasting change
/// becomes the new normal after K seasons. Not thread-safe: one writer per metric.
/// </remarks>
public sealed class AnomalyDetector
{
    private readonly SeasonalBaseline _baseline;
    private readonly AnomalyDetectorOptions _options;
    private readonly long _stepTicks;

    private long _lastStep = long.MinValue;
    private int _run;
    private AnomalyDirection _runDirection;
    private DateTimeOffset _runSince;

    public AnomalyDetector(string metric, SeasonalBaseline baseline, AnomalyDetectorOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(metric);
        ArgumentNullException.ThrowIfNull(baseline);
        options ??= new AnomalyDetectorOptions();
        options.Validate();
        Metric = metric;
        _baseline = baseline;
        _options = options;
        _stepTicks = baseline.Step.Ticks;
    }

    public string Metric { get; }

    /// <summary>True while the latest samples have stayed beyond the threshold, on one side, for the required count.</summary>
    public bool IsAnomalous => _run >= _options.ConsecutiveSamples;

    /// <summary>
    /// Scores <paramref name="value"/> sampled at <paramref name="at"/>, records it in the baseline, and returns the
    /// anomaly this sample completes, if any. Samples are expected in time order, one per step.
    /// </summary>
    public Anomaly? Observe(DateTimeOffset at, double value)
    {
        long step = at.UtcTicks / _stepTicks;
        bool follows = step == _lastStep + 1;
        _lastStep = step;

        var reading = _baseline.Read(at);
        if (!_baseline.Record(at, value) || reading is not { } baseline)
        {
            _run = 0;
            return null;
        }

        double score = Score(value, baseline);
        AnomalyDirection? direction = score > _options.Threshold ? AnomalyDirection.Above
            : score < -_options.Threshold ? AnomalyDirection.Below
            : null;
        if (direction is not { } side)
        {
            _run = 0;
            return null;
        }

        if (!follows || _run == 0 || side != _runDirection)
        {
            _run = 0;
            _runDirection = side;
            _runSince = at;
        }

        _run++;
        return _run == _options.ConsecutiveSamples
            ? new Anomaly(Metric, at, _runSince, value, baseline.Median, score, side)
            : null;
    }

    /// <summary>The robust z-score of <paramref name="value"/>; ±∞ when the baseline has no spread and no floor applies.</summary>
    public double Score(double value, BaselineReading baseline)
    {
        double deviation = value - baseline.Median;
        double spread = Math.Max(
            baseline.Spread,
            Math.Max(_options.MinSpread, _options.MinRelativeSpread * Math.Abs(baseline.Median)));
        if (spread == 0)
        {
            return deviation == 0 ? 0 : deviation > 0 ? double.PositiveInfinity : double.NegativeInfinity;
        }

        return deviation / spread;
    }
}
