using NeoCloud.Health.Correlation;
using NeoCloud.Health.Detection;
using NeoCloud.Health.Remediation;

namespace NeoCloud.Simulator.SelfHealing;

/// <summary>The health pipeline's knobs for a self-healing run: detector thresholds, correlation windows and the remediation policy.</summary>
public sealed record SelfHealingSettings
{
    public DetectionOptions Detection { get; init; } = new();

    public DiagnosisOptions Diagnosis { get; init; } = new();

    public RemediationPolicy Policy { get; init; } = new();
}
