using NeoCloud.Health.Correlation;
using Microsoft.Extensions.Logging;
using NeoCloud.Fleet.Actuation;
using NeoCloud.Fleet.Topology;
using NeoCloud.Health.Store;
using NeoCloud.Kernel.Audit;

namespace NeoCloud.Health.Remediation;

/// <summary>
/// Runs durable remediation workflows (cordon → checkpoint → drain → act → verify → return, or RMA) under the safety
/// budget, breakers, cooldowns and the repeat-offender rule. Every decision is audited with its reason. The engine is
/// driven: <see cref="ProposeAsync"/> for each diagnosis, <see cref="AdvanceAsync"/> every round; actions run on the
/// actuator in the background and are polled, so a slow reboot never blocks the other runs.
/// </summary>
public sealed class RemediationEngine
{
    public RemediationEngine(
        IHealthStore store,
        IRemediationFleet fleet,
        IWorkloadMover workloads,
        IHardwareActuator actuator,
        IPager pager,
        IAuditTrail audit,
        FleetTopology topology,
        RemediationPolicy policy,
        TimeProvider clock,
        ILogger<RemediationEngine> logger)
    {
        throw new NotImplementedException("slice: remediation");
    }

    /// <summary>Decides what to do about a diagnosis; returns the run created (or found, for a retried diagnosis), null when nothing is to be done to hardware.</summary>
    public Task<RemediationRun?> ProposeAsync(Diagnosis diagnosis, CancellationToken cancellationToken) =>
        throw new NotImplementedException("slice: remediation");

    /// <summary>Moves every active run as far as it can now; resumes runs left by a previous process on first call.</summary>
    public Task AdvanceAsync(CancellationToken cancellationToken) => throw new NotImplementedException("slice: remediation");

    public Task<RemediationRun> ApproveAsync(string runId, Actor actor, CancellationToken cancellationToken) =>
        throw new NotImplementedException("slice: remediation");

    public Task<RemediationRun> CancelAsync(string runId, Actor actor, string reason, CancellationToken cancellationToken) =>
        throw new NotImplementedException("slice: remediation");

    /// <summary>A person uncordoned a node by hand: every active run fencing it is cancelled.</summary>
    public Task NodeUncordonedAsync(string node, Actor actor, CancellationToken cancellationToken) =>
        throw new NotImplementedException("slice: remediation");

    /// <summary>Closes a tripped breaker (a person decided automation may go on).</summary>
    public Task ResetBreakerAsync(string scope, Actor actor, CancellationToken cancellationToken) =>
        throw new NotImplementedException("slice: remediation");

    /// <summary>Scopes whose breaker is open now (<c>fleet</c>, <c>region:euw1</c>).</summary>
    public IReadOnlyCollection<string> OpenBreakers => throw new NotImplementedException("slice: remediation");

    /// <summary>How many times a run held capacity beyond the budget (should stay 0; the engine refuses before that).</summary>
    public int BudgetExceededCount => throw new NotImplementedException("slice: remediation");
}
