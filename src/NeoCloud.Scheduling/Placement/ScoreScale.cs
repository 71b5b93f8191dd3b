namespace NeoCloud.Scheduling.Placement;

/// <summary>The score range of one cycle, as kube-scheduler's NormalizeScore uses it.</summary>
public static class ScoreScale
{
    public const double MaxNodeScore = 100;

    /// <summary>Maps scores linearly so the lowest is 0 and the highest <see cref="MaxNodeScore"/>; all equal scores become the maximum.</summary>
    public static void MinMax(Span<double> scores)
    {
        if (scores.IsEmpty)
        {
            return;
        }

        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (double s in scores)
        {
            min = Math.Min(min, s);
            max = Math.Max(max, s);
        }

        double range = max - min;
        for (int i = 0; i < scores.Length; i++)
        {
            scores[i] = range > 0 ? (scores[i] - min) / range * MaxNodeScore : MaxNodeScore;
        }
    }
}
