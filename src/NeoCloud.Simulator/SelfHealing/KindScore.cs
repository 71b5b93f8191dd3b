using System.Text.Json.Serialization;

namespace NeoCloud.Simulator.SelfHealing;

/// <summary>Detection and recovery of one kind of fault over a run.</summary>
public sealed record KindScore(
    [property: JsonPropertyName("injected")] int Injected,
    [property: JsonPropertyName("detected")] int Detected,
    [property: JsonPropertyName("mttd_seconds")] Percentiles Mttd,
    [property: JsonPropertyName("mttm_seconds")] Percentiles Mttm,
    [property: JsonPropertyName("mttr_seconds")] Percentiles Mttr);
