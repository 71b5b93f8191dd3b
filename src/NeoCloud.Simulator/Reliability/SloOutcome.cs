using System.Text.Json.Serialization;

namespace NeoCloud.Simulator.Reliability;

/// <summary>An SLO objective kept over the twin, as it stood at the end of the run.</summary>
public sealed record SloOutcome(
    [property: JsonPropertyName("target")] double Target,
    [property: JsonPropertyName("sli")] double Sli,
    [property: JsonPropertyName("budget_remaining")] double BudgetRemaining,
    [property: JsonPropertyName("page_breaches")] int PageBreaches,
    [property: JsonPropertyName("alerts_raised")] int AlertsRaised);
