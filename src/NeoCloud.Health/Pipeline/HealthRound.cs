using NeoCloud.Health.Correlation;
using NeoCloud.Health.Findings;

namespace NeoCloud.Health.Pipeline;

/// <summary>What one round of the health pipeline did: the findings raised and the diagnoses made (copies the caller may keep).</summary>
public sealed record HealthRound(DateTimeOffset At, IReadOnlyList<Finding> Findings, IReadOnlyList<Diagnosis> Diagnoses);
