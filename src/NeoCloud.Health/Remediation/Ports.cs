using NeoCloud.Health.Findings;

namespace NeoCloud.Health.Remediation;

/// <summary>The work running on some hardware, as remediation sees it.</summary>
/// <param name="Work">The same key as the signal frame's work map.</param>
/// <param name="Gpus">How many GPUs the work holds in all.</param>
public sealed record WorkOnHardware(long Work, string Name, int Gpus, DateTimeOffset? LastCheckpointAt);

/// <summary>
/// What remediation asks of the Fleet context: fence and release hardware. In a host it is the node lifecycle
/// service (cordon, quarantine, repair, RMA, each a recorded, audited transition); in the headless simulation the twin.
/// Every call is idempotent: asking for the state a component is already in succeeds without change.
/// </summary>
public interface IRemediationFleet
{
    /// <summary>Stop new work landing: cordon <paramref name="nodes"/>, quarantine <paramref name="gpus"/>.</summary>
    Task FenceAsync(IReadOnlyList<string> nodes, IReadOnlyList<string> gpus, string reason, CancellationToken cancellationToken);

    /// <summary>Back to service after a passed verification.</summary>
    Task ReleaseAsync(IReadOnlyList<string> nodes, IReadOnlyList<string> gpus, string reason, CancellationToken cancellationToken);

    /// <summary>Out of service for replacement (RMA).</summary>
    Task RetireAsync(IReadOnlyList<string> nodes, IReadOnlyList<string> gpus, string reason, CancellationToken cancellationToken);
}

/// <summary>
/// What remediation asks of the Workloads context: find the work on hardware, ask it to checkpoint, and requeue it so
/// the scheduler restarts it elsewhere from its last checkpoint.
/// </summary>
public interface IWorkloadMover
{
    Task<IReadOnlyList<WorkOnHardware>> WorkOnAsync(IReadOnlyList<string> nodes, IReadOnlyList<string> gpus, CancellationToken cancellationToken);

    Task SignalCheckpointAsync(WorkOnHardware work, CancellationToken cancellationToken);

    /// <summary>Stops the work and requeues it; returns the GPU-hours it loses (its progress since the last checkpoint).</summary>
    Task<double> EvictAsync(WorkOnHardware work, string reason, CancellationToken cancellationToken);
}

/// <summary>A page to the on-call person: automation stopped itself (a breaker tripped) or needs a decision.</summary>
public sealed record OnCallPage(DateTimeOffset At, Severity Severity, string Source, string Summary);

/// <summary>Pages a person. Reliability's notifiers (issue 5) implement it; until then the host logs and records pages.</summary>
public interface IPager
{
    Task PageAsync(OnCallPage page, CancellationToken cancellationToken);
}
