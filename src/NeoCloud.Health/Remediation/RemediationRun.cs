using NeoCloud.Health.Findings;

namespace NeoCloud.Health.Remediation;

/// <summary>Where a remediation run is in its workflow. Each step is persisted before the next one starts.</summary>
public enum RemediationStep
{
    /// <summary>Waiting for room in the safety budget (or a cooldown) before it may fence anything.</summary>
    Queued,

    /// <summary>A destructive action waits for a person's approval.</summary>
    AwaitingApproval,

    /// <summary>Stop new work landing on the target (cordon the node, quarantine the GPU).</summary>
    Cordon,

    /// <summary>Ask the work on the target to checkpoint.</summary>
    Checkpoint,

    /// <summary>Move the work off (per the drain mode); the jobs are requeued and restart from their checkpoint.</summary>
    Drain,

    /// <summary>The repair action itself (reset, reboot, diagnostics, a ticket).</summary>
    Act,

    /// <summary>Burn-in check: diagnostics must pass before the target serves again.</summary>
    Verify,

    /// <summary>Back in service; the run is over.</summary>
    Returned,

    /// <summary>Sent for replacement (RMA); the run is over.</summary>
    Rma,

    /// <summary>Cancelled by a person (or a manual uncordon); the run is over.</summary>
    Cancelled,

    /// <summary>Refused by policy (breaker open, dry run, nothing to do); the run is over and records why.</summary>
    Refused,
}

/// <summary>The action of the current rung of the escalation ladder.</summary>
public enum RemediationAction
{
    /// <summary>Nothing to the hardware: take the work off and watch (degradations), or record only.</summary>
    None,
    ResetGpu,
    RebootNode,

    /// <summary>Run diagnostics (r3 by default) to decide; failure escalates.</summary>
    Diagnose,

    /// <summary>Open an RMA ticket and have the part replaced.</summary>
    Replace,

    /// <summary>A technician reseats or replaces a cable, transceiver or switch.</summary>
    RepairFabric,

    /// <summary>Facility power work.</summary>
    RepairPower,
}

/// <summary>How a drain treats the work on the target (NVSentinel's three modes).</summary>
public enum DrainMode
{
    /// <summary>Requeue the work at once (after the checkpoint signal).</summary>
    Immediate,

    /// <summary>Let running work finish; nothing new lands.</summary>
    AllowCompletion,

    /// <summary>Let running work finish until the drain timeout, then requeue what is left.</summary>
    AfterTimeout,
}

/// <summary>One entry of a run's history: a step begun or ended, a decision, an escalation.</summary>
public sealed record RemediationEvent(DateTimeOffset At, RemediationStep Step, string What, string Detail);

/// <summary>
/// One durable remediation workflow for one suspect, persisted step by step so a restarted controller resumes where
/// it stopped. Immutable: each change is a new version written under optimistic concurrency.
/// </summary>
/// <param name="Id">Unique, sortable (<c>rem-…</c>).</param>
/// <param name="DiagnosisId">The diagnosis it acts on; at most one run per diagnosis (retries are idempotent).</param>
/// <param name="Target">The suspect: a GPU, a node, a port, a switch, a PDU.</param>
/// <param name="Nodes">Nodes it fences (cordons and drains); empty for facility work that must not drain healthy nodes.</param>
/// <param name="Gpus">GPUs it quarantines when the action is GPU-level.</param>
/// <param name="Rung">Position on the escalation ladder, from 0.</param>
/// <param name="Ladder">The actions of the ladder, tried in order (e.g. reset → reboot → replace).</param>
/// <param name="DryRun">True when the run only records what it would do.</param>
/// <param name="GpuHoursLost">Work lost by the jobs it drained (GPU-hours since their last checkpoint).</param>
public sealed record RemediationRun(
    string Id,
    string DiagnosisId,
    ComponentRef Target,
    IReadOnlyList<string> Nodes,
    IReadOnlyList<string> Gpus,
    RemediationStep Step,
    int Rung,
    IReadOnlyList<RemediationAction> Ladder,
    DrainMode DrainMode,
    bool DryRun,
    bool RequiresApproval,
    string? ApprovedBy,
    string Reason,
    DateTimeOffset CreatedAt,
    DateTimeOffset StepStartedAt,
    DateTimeOffset? FinishedAt,
    double GpuHoursLost,
    IReadOnlyList<RemediationEvent> History,
    long Version)
{
    public RemediationAction Action => Rung < Ladder.Count ? Ladder[Rung] : RemediationAction.Replace;

    public bool IsFinished => Step is RemediationStep.Returned or RemediationStep.Rma or RemediationStep.Cancelled or RemediationStep.Refused;

    /// <summary>True while it holds capacity out of service (counts against the safety budget).</summary>
    public bool HoldsCapacity => !IsFinished && Step is not (RemediationStep.Queued or RemediationStep.AwaitingApproval) && !DryRun;
}
