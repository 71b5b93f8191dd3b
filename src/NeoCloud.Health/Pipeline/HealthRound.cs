using NeoCloud.Health.Correlation;
using NeoCloud.Health.Findings;
using NeoCloud.Health.Remediation;

namespace NeoCloud.Health.Pipeline;

/// <summary>What one round of the health pipeline did: the findings raised and the diagnoses made (copies the caller may keep).</summary>
public sealed record HealthRound(DateTimeOffset At, IReadOnlyList<Finding> Findings, IReadOnlyList<Diagnosis> Diagnoses)
{
    /// <summary>
    /// The run remediation created for each diagnosis of the round, or merged it into, by diagnosis id, as it stood when
    /// proposed; diagnoses nothing acts on are absent.
    /// </summary>
    public IReadOnlyDictionary<string, RemediationRun> Runs { get; init; } = new Dictionary<string, RemediationRun>(StringComparer.Ordinal);
}
