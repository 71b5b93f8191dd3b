using System.Text.Json.Serialization;
using NeoCloud.Simulator.SelfHealing;

namespace NeoCloud.Simulator.Reliability;

/// <summary>Incidents of one severity and their MTTD, MTTA and MTTR (seconds, p50/p95) from the incidents' timelines.</summary>
public sealed record SeverityFigures(
    [property: JsonPropertyName("incidents")] int Incidents,
    [property: JsonPropertyName("mttd_seconds")] Percentiles Mttd,
    [property: JsonPropertyName("mtta_seconds")] Percentiles Mtta,
    [property: JsonPropertyName("mttr_seconds")] Percentiles Mttr);
