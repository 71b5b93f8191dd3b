using System.Text.Json.Serialization;

namespace NeoCloud.Simulator.SelfHealing;

/// <summary>
/// How well detection, diagnosis and remediation did against the twin's ground truth: the <c>health</c> object of
/// <c>neocloud sim --json</c>. Every injected fault is matched to the findings that point at what it broke.
/// MTTD = onset → first matching finding; MTTM = onset → the faulty part fenced (or the degraded GPU emptied) and every
/// job it interrupted running again; MTTR = onset → the part back in service or sent to RMA.
/// </summary>
public sealed record HealthSummary(
    [property: JsonPropertyName("faults_injected")] int FaultsInjected,
    [property: JsonPropertyName("faults_detected")] int FaultsDetected,
    [property: JsonPropertyName("missed_fatal")] int MissedFatal,
    [property: JsonPropertyName("missed_nonfatal")] int MissedNonFatal,
    [property: JsonPropertyName("undecided")] int Undecided,
    [property: JsonPropertyName("mttd_seconds")] Percentiles Mttd,
    [property: JsonPropertyName("mttm_seconds")] Percentiles Mttm,
    [property: JsonPropertyName("mttm_single_gpu_seconds")] Percentiles MttmSingleGpu,
    [property: JsonPropertyName("mttr_seconds")] Percentiles Mttr,
    [property: JsonPropertyName("actions_total")] int ActionsTotal,
    [property: JsonPropertyName("actions_false_positive")] int ActionsFalsePositive,
    [property: JsonPropertyName("safety_budget_exceeded")] int SafetyBudgetExceeded,
    [property: JsonPropertyName("gpu_hours_lost")] double GpuHoursLost,
    [property: JsonPropertyName("findings")] int Findings,
    [property: JsonPropertyName("findings_unmatched")] int FindingsUnmatched,
    [property: JsonPropertyName("diagnoses_by_suspect")] IReadOnlyDictionary<string, int> DiagnosesBySuspect,
    [property: JsonPropertyName("runs_by_step")] IReadOnlyDictionary<string, int> RunsByStep,
    [property: JsonPropertyName("pages")] int Pages,
    [property: JsonPropertyName("open_breakers")] IReadOnlyList<string> OpenBreakers,
    [property: JsonPropertyName("audit_entries")] int AuditEntries,
    [property: JsonPropertyName("jobs_restarted")] long JobsRestarted,
    [property: JsonPropertyName("by_kind")] IReadOnlyDictionary<string, KindScore> ByKind,
    [property: JsonPropertyName("missed")] IReadOnlyList<string> Missed)
{
    /// <summary>Every injected fault linked to the finding that detected it, with its detection, mitigation and repair times.</summary>
    [JsonPropertyName("faults")]
    public IReadOnlyList<FaultOutcome> Faults { get; init; } = [];
}
