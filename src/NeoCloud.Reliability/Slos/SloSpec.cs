namespace NeoCloud.Reliability.Slos;

/// <summary>One <c>kind: SLO</c> manifest, read and validated (OpenSLO v1 compatible; see docs/slo.md).</summary>
public sealed record SloSpec(
    string Name,
    string Service,
    string? Description,
    SliIndicator Indicator,
    SloTimeWindow TimeWindow,
    BudgetingMethod BudgetingMethod,
    IReadOnlyList<SloObjective> Objectives,
    SloAlerting Alerting,
    string? Tenant = null,
    string? LineOfBusiness = null)
{
    public const string Kind = "SLO";
}
