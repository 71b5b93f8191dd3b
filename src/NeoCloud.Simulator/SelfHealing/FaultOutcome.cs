using System.Text.Json.Serialization;

namespace NeoCloud.Simulator.SelfHealing;

/// <summary>
/// One injected fault and what the health pipeline did about it: the ground truth linked to the finding that detected
/// it, and how long detection, mitigation and repair took (null when they did not happen within the run).
/// </summary>
public sealed record FaultOutcome(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("cause")] string Cause,
    [property: JsonPropertyName("target")] string Target,
    [property: JsonPropertyName("onset")] DateTimeOffset Onset,
    [property: JsonPropertyName("fatal")] bool Fatal,
    [property: JsonPropertyName("detected_by")] string? DetectedBy,
    [property: JsonPropertyName("detected_after_seconds")] double? DetectedAfterSeconds,
    [property: JsonPropertyName("mitigated_after_seconds")] double? MitigatedAfterSeconds,
    [property: JsonPropertyName("repaired_after_seconds")] double? RepairedAfterSeconds);
