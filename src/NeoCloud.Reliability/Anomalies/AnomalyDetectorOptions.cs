namespace NeoCloud.Reliability.Anomalies;

/// <summary>How far and for how long a metric must leave its seasonal baseline before an <see cref="Anomaly"/> is raised.</summary>
public sealed record AnomalyDetectorOptions
{
    /// <summary>
    /// The robust z-score beyond which a sample is anomalous. 4 rather than the usual 3: over a week of 5-minute samples
    /// a normal metric crosses 3σ a few times by chance, and the run length below has to absorb fewer of those.
    /// </summary>
    public double Threshold { get; init; } = 4.0;

    /// <summary>How many consecutive samples must score beyond the threshold, on the same side, before one is raised.</summary>
    public int ConsecutiveSamples { get; init; } = 3;

    /// <summary>
    /// An absolute floor on the spread, in the metric's unit, for slots that never vary (an error count that is always
    /// 0). Zero by default because any absolute floor makes the verdict depend on the metric's scale.
    /// </summary>
    public double MinSpread { get; init; }

    /// <summary>
    /// A floor on the spread as a fraction of the median's size, so that a metric that has been flat for weeks does not
    /// raise on a 0.1% wobble; being relative, it keeps the verdict independent of the metric's unit.
    /// </summary>
    public double MinRelativeSpread { get; init; } = 0.01;

    internal void Validate()
    {
        if (!(Threshold > 0) || !double.IsFinite(Threshold))
        {
            throw new ArgumentOutOfRangeException(nameof(Threshold), Threshold, "The threshold must be a positive, finite score.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(ConsecutiveSamples, 1, nameof(ConsecutiveSamples));
        if (!(MinSpread >= 0) || !double.IsFinite(MinSpread))
        {
            throw new ArgumentOutOfRangeException(nameof(MinSpread), MinSpread, "The spread floor must be zero or more.");
        }

        if (!(MinRelativeSpread >= 0) || !double.IsFinite(MinRelativeSpread))
        {
            throw new ArgumentOutOfRangeException(nameof(MinRelativeSpread), MinRelativeSpread, "The relative spread floor must be zero or more.");
        }
    }
}
