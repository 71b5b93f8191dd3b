using NeoCloud.Health.Catalog;

namespace NeoCloud.Health.Correlation;

/// <summary>Orders remedies from least to most invasive, so several findings on one component get the strongest one they call for.</summary>
internal static class RemedyOrder
{
    public static int Rank(RemedyHint remedy) => remedy switch
    {
        RemedyHint.None => 0,
        RemedyHint.RestartApplication => 1,
        RemedyHint.Drain => 2,
        RemedyHint.Diagnose => 3,
        RemedyHint.ResetGpu => 4,
        RemedyHint.RebootNode => 5,
        RemedyHint.RepairFabric => 6,
        RemedyHint.RepairPower => 7,
        RemedyHint.Replace => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(remedy), remedy, "Unknown remedy."),
    };

    public static RemedyHint Strongest(RemedyHint a, RemedyHint b) => Rank(b) > Rank(a) ? b : a;
}
