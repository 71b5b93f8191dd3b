using NeoCloud.Kernel.Ids;
using NeoCloud.Workloads.Execution;
using NeoCloud.Workloads.Specs;

namespace NeoCloud.Workloads.Jobs;

/// <summary>
/// A job or service as the control plane keeps it: its spec (as canonical JSON), where it is in its lifecycle, which
/// attempt it is on, what its retries and checkpoints are, and where its replicas run. Changed only through
/// <see cref="JobMachine.Apply"/>; <see cref="Version"/> grows by one per state change (optimistic concurrency).
/// </summary>
/// <param name="Attempt">1 for the first run; one more per restart after a preemption or an infrastructure failure.</param>
/// <param name="RetriesUsed">Restarts taken so far, never more than <see cref="RetryBudget"/>.</param>
/// <param name="CheckpointProgress">Work saved by the last checkpoint (a restart resumes from it); null before the first.</param>
/// <param name="Placement">Where each replica runs while placed or running; empty otherwise.</param>
/// <param name="LastReason">Why the last state change happened.</param>
public sealed record Job(
    JobId Id,
    WorkloadKind Kind,
    string Name,
    TenantId Tenant,
    QueueId Queue,
    string? IdempotencyKey,
    string SpecJson,
    JobState State,
    long Version,
    int Attempt,
    int RetriesUsed,
    int RetryBudget,
    TimeSpan? CheckpointProgress,
    DateTimeOffset? CheckpointAt,
    IReadOnlyList<ReplicaPlacement> Placement,
    DateTimeOffset SubmittedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    string LastReason)
{
    public const string IdPrefix = "job";

    public const string SubmittedReason = "submitted";

    /// <summary>A new, time-ordered job id (<c>job-01J…</c>).</summary>
    public static JobId NewId(TimeProvider clock) => new(SortableId.New(IdPrefix, clock));

    /// <summary>A new pending job (version 1, attempt 1) for a validated spec, and the event that records its submission.</summary>
    public static (Job Job, JobEvent Event) Submit(JobId id, WorkloadSpec spec, string actor, DateTimeOffset at)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        var (kind, budget, key) = spec switch
        {
            JobSpec batch => (WorkloadKind.Job, batch.RetryBudget, batch.IdempotencyKey),

            // A service replica that is preempted or fails is always brought back: its budget is the retries a job may have at most.
            ServiceSpec => (WorkloadKind.Service, int.MaxValue, (string?)null),
            _ => throw new ArgumentException($"Unknown workload spec {spec.GetType().Name}.", nameof(spec)),
        };
        var job = new Job(
            id, kind, spec.Name, spec.Tenant, spec.Queue, key, spec.ToCanonicalJson(), JobState.Pending, 1, 1, 0, budget,
            null, null, [], at, null, null, SubmittedReason);
        return (job, new JobEvent(0, id, null, JobState.Pending, SubmittedReason, actor, at, 1, null));
    }

    /// <summary>The spec read back from <see cref="SpecJson"/>.</summary>
    public WorkloadSpec Spec => WorkloadSpec.FromCanonicalJson(SpecJson);

    /// <summary>Whether the job has ended (succeeded, failed or cancelled) and will never change again.</summary>
    public bool IsFinal => JobMachine.IsFinal(State);

    /// <summary>Restarts left after a preemption or an infrastructure failure.</summary>
    public int RetriesLeft => RetryBudget - RetriesUsed;
}
