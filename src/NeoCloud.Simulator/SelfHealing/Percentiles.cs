using System.Text.Json.Serialization;

namespace NeoCloud.Simulator.SelfHealing;

/// <summary>The median and 95th percentile of a set of durations in seconds, and how many there were (0: both are 0).</summary>
public sealed record Percentiles(
    [property: JsonPropertyName("p50")] double P50,
    [property: JsonPropertyName("p95")] double P95,
    [property: JsonPropertyName("count")] int Count)
{
    public static Percentiles Of(IEnumerable<double> seconds)
    {
        var sorted = seconds.Order().ToArray();
        return sorted.Length == 0 ? new Percentiles(0, 0, 0) : new Percentiles(Math.Round(At(sorted, 0.50), 1), Math.Round(At(sorted, 0.95), 1), sorted.Length);
    }

    // Linear interpolation between closest ranks (the usual "type 7" estimate).
    private static double At(double[] sorted, double q)
    {
        double pos = q * (sorted.Length - 1);
        int lo = (int)Math.Floor(pos);
        int hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + ((sorted[hi] - sorted[lo]) * (pos - lo));
    }
}
