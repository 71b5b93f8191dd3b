namespace NeoCloud.Health.Remediation;

/// <summary>
/// The safety rails of automatic remediation (ARCHITECTURE §1: safety before speed). Defaults follow the field
/// (FACTS.md): NVSentinel's breaker (50% of nodes over 5 minutes, plus an absolute cap) and repeat-offender rule
/// (≥ 5 remediations on one node in 7 days), its drain modes and 60-minute drain timeout.
/// </summary>
public sealed record RemediationPolicy
{
    /// <summary>At most this fraction of a cluster's nodes (a site) in remediation at once.</summary>
    public double MaxClusterFraction { get; init; } = 0.05;

    /// <summary>At most this many nodes of a cluster (a site) in remediation at once.</summary>
    public int MaxClusterNodes { get; init; } = 50;

    /// <summary>At most this fraction of any failure domain (rack, leaf group, PDU) in remediation at once.</summary>
    public double MaxDomainFraction { get; init; } = 0.25;

    /// <summary>At most this many nodes of any failure domain in remediation at once (at least one is always allowed).</summary>
    public int MaxDomainNodes { get; init; } = 2;

    /// <summary>A node just returned to service is not remediated automatically again within this time (a person is paged instead).</summary>
    public TimeSpan Cooldown { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>This many remediations of one node within <see cref="RepeatOffenderWindow"/> send it to RMA instead of another reset.</summary>
    public int RepeatOffenderCount { get; init; } = 5;

    public TimeSpan RepeatOffenderWindow { get; init; } = TimeSpan.FromDays(7);

    /// <summary>The breaker trips when more than this fraction of a scope's nodes get fatal diagnoses within <see cref="BreakerWindow"/>.</summary>
    public double BreakerFraction { get; init; } = 0.5;

    /// <summary>The breaker also trips above this many nodes diagnosed within the window, whatever the fraction.</summary>
    public int BreakerMaxNodes { get; init; } = 100;

    public TimeSpan BreakerWindow { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Record what would be done without doing it.</summary>
    public bool DryRun { get; init; }

    /// <summary>Actions that wait for a person's approval before they run.</summary>
    public IReadOnlySet<RemediationAction> RequireApproval { get; init; } = new HashSet<RemediationAction>();

    public DrainMode DrainMode { get; init; } = DrainMode.Immediate;

    /// <summary>How long <see cref="DrainMode.AfterTimeout"/> lets work run before requeueing it.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromMinutes(60);

    /// <summary>How long the jobs get to checkpoint after the signal, before the drain goes on.</summary>
    public TimeSpan CheckpointGrace { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>An action that has not completed after this long counts as failed and escalates.</summary>
    public TimeSpan ActionTimeout { get; init; } = TimeSpan.FromHours(2);

    /// <summary>The diagnostic level of the burn-in check after a repair.</summary>
    public Fleet.Actuation.DiagnosticLevel VerifyLevel { get; init; } = Fleet.Actuation.DiagnosticLevel.R2;
}
