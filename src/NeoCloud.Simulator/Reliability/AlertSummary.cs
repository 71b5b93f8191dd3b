using System.Text.Json.Serialization;
using NeoCloud.Simulator.SelfHealing;

namespace NeoCloud.Simulator.Reliability;

/// <summary>
/// How right the alerts and incidents raised over the twin were, against its ground truth: the <c>alerts</c> object of
/// <c>neocloud sim --json</c>. Every field is defined in docs/alerts-on-the-twin.md.
/// </summary>
public sealed record AlertSummary(
    [property: JsonPropertyName("raised")] int Raised,
    [property: JsonPropertyName("true_positive")] int TruePositive,
    [property: JsonPropertyName("precision")] double Precision,
    [property: JsonPropertyName("page_worthy")] int PageWorthy,
    [property: JsonPropertyName("recalled")] int Recalled,
    [property: JsonPropertyName("recall")] double Recall,
    [property: JsonPropertyName("incidents")] int Incidents,
    [property: JsonPropertyName("faults_with_incident")] int FaultsWithIncident,
    [property: JsonPropertyName("incidents_per_fault")] double IncidentsPerFault,
    [property: JsonPropertyName("raised_by_alertname")] IReadOnlyDictionary<string, int> RaisedByAlertName,
    [property: JsonPropertyName("slo_page_breaches")] int SloPageBreaches,
    [property: JsonPropertyName("slos")] IReadOnlyDictionary<string, SloOutcome> Slos,
    [property: JsonPropertyName("by_severity")] IReadOnlyDictionary<string, SeverityFigures> BySeverity)
{
    /// <summary>Raised alerts no fault or breach backs (at most 20, for reading).</summary>
    [JsonPropertyName("false_positives")]
    public IReadOnlyList<string> FalsePositives { get; init; } = [];

    /// <summary>Page-worthy events no raised alert or incident covered (at most 20).</summary>
    [JsonPropertyName("missed")]
    public IReadOnlyList<string> Missed { get; init; } = [];

    /// <summary>Faults behind more than one incident, with those incidents (at most 20): what grouping did not gather.</summary>
    [JsonPropertyName("split_faults")]
    public IReadOnlyList<string> SplitFaults { get; init; } = [];
}
