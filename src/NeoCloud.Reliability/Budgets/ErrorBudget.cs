namespace NeoCloud.Reliability.Budgets;

/// <summary>Error budget arithmetic for one objective: the same formulas the exported recording rules evaluate.</summary>
public static class ErrorBudget
{
    /// <summary>How many times faster than an even spend over the period the budget burns at this error ratio.</summary>
    public static double BurnRate(double errorRatio, decimal target) => errorRatio / (double)(1m - target);

    /// <summary>The share of the period's budget left when the period's error ratio is <paramref name="periodErrorRatio"/> (negative once overspent).</summary>
    public static double Remaining(double periodErrorRatio, decimal target) => 1 - BurnRate(periodErrorRatio, target);

    /// <summary>Time to spend the whole budget at a constant burn rate.</summary>
    public static TimeSpan TimeToExhaustion(double burnRate, TimeSpan period) =>
        burnRate <= 0 ? TimeSpan.MaxValue : TimeSpan.FromTicks((long)(period.Ticks / burnRate));
}
