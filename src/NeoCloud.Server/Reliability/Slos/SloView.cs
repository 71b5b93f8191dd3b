using NeoCloud.Reliability.Evaluation;
using NeoCloud.Reliability.Slos;

namespace NeoCloud.Server.Reliability.Slos;

/// <summary>An SLO as the API shows it: its declaration and, per objective, the figures of the last evaluation.</summary>
public sealed record SloView(
    string Name,
    string Service,
    string? Tenant,
    string? LineOfBusiness,
    string? Description,
    string Indicator,
    string TimeWindow,
    string BudgetingMethod,
    string Source,
    IReadOnlyList<SloObjectiveView> Objectives)
{
    public static SloView Of(DeclaredSlo declared, IReadOnlyList<SloStatus> statuses)
    {
        var slo = declared.Spec;
        return new SloView(
            slo.Name,
            slo.Service,
            slo.Tenant,
            slo.LineOfBusiness,
            slo.Description,
            IndicatorOf(slo.Indicator),
            $"{slo.TimeWindow.Text} {(slo.TimeWindow.IsRolling ? "rolling" : "calendar")}",
            slo.BudgetingMethod.ToString(),
            declared.Source,
            [.. slo.Objectives.Select(o => SloObjectiveView.Of(o, statuses.FirstOrDefault(s => s.Objective == o.Name)))]);
    }

    private static string IndicatorOf(SliIndicator indicator) => indicator switch
    {
        { BuiltIn: { } name, LatencyThreshold: { } threshold } => $"built-in {name} within {BuiltInSlis.FormatThreshold(threshold)}",
        { BuiltIn: { } name } => $"built-in {name}",
        { Kind: SliKind.Threshold } => $"threshold of {indicator.Value}",
        _ => $"ratio: {(indicator.Bad is null ? "good " + indicator.Good : "bad " + indicator.Bad)} over {indicator.Total}",
    };
}
