namespace NeoCloud.Reliability.Evaluation;

/// <summary>The events an <see cref="SliSeries"/> holds over one window: how many were bad out of how many in all.</summary>
public readonly record struct WindowCounts(long Bad, long Total)
{
    /// <summary>Bad over total; NaN for a window without events, as Prometheus's 0/0 (so nothing compares above a threshold).</summary>
    public double ErrorRatio => Total == 0 ? double.NaN : (double)Bad / Total;
}
