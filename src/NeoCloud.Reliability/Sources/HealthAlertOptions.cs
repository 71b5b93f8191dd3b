namespace NeoCloud.Reliability.Sources;

/// <summary>How long Health alerts live when no remediation run ends them, and how long ended ones are remembered.</summary>
public sealed record HealthAlertOptions
{
    /// <summary>
    /// A diagnosis no run acts on (a job's own error, a warning, a run refused by the safety budget) fires this long after
    /// its last finding: Health raises a finding once per episode and never says "cleared", so silence is the only sign.
    /// </summary>
    public TimeSpan ResolveWithoutRun { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>An ended alert is still reported (resolved) this long, so every receiver hears that it ended.</summary>
    public TimeSpan KeepResolved { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Tenant and line of business of the work a component carried (0 = none), for the incident's affected tenants.</summary>
    public Func<long, WorkOwner?>? OwnerOfWork { get; init; }
}
