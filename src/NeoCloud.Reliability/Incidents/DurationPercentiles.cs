namespace NeoCloud.Reliability.Incidents;

/// <summary>The median and 95th percentile of one incident duration over the incidents that have it.</summary>
public sealed record DurationPercentiles(int Samples, TimeSpan P50, TimeSpan P95)
{
    /// <summary>
    /// Nearest-rank percentiles (the smallest value with at least p% of samples at or below it), so each figure is a
    /// duration some incident really had; interpolating between two incidents would report one nobody lived through.
    /// Null when there are no samples.
    /// </summary>
    public static DurationPercentiles? Of(IEnumerable<TimeSpan> durations)
    {
        var sorted = durations.Order().ToArray();
        return sorted.Length == 0 ? null : new DurationPercentiles(sorted.Length, Rank(sorted, 50), Rank(sorted, 95));

        static TimeSpan Rank(TimeSpan[] sorted, int percent) =>
            sorted[Math.Max(0, (int)Math.Ceiling(percent / 100.0 * sorted.Length) - 1)];
    }
}
