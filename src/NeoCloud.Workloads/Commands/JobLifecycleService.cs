using NeoCloud.Kernel.Audit;
using NeoCloud.Kernel.Ids;
using NeoCloud.Kernel.Persistence;
using NeoCloud.Workloads.Execution;
using NeoCloud.Workloads.Jobs;
using NeoCloud.Workloads.Specs;
using NeoCloud.Workloads.Store;

namespace NeoCloud.Workloads.Commands;

/// <summary>
/// Commands on jobs (submit, cancel, any legal move, preempt or infra-fail and restart): checked by the lifecycle,
/// persisted with their events, time from the clock. Audit entries are not written here: the Access context relays
/// each committed job event into the audit log.
/// </summary>
public sealed class JobLifecycleService(IWorkloadStore store, TimeProvider clock)
{
    private const int MaxAttempts = 5;

    /// <summary>Submits one validated spec as a new pending job (or returns the job its idempotency key already names).</summary>
    public Task<SubmitResult> SubmitAsync(WorkloadSpec spec, Actor actor, CancellationToken cancellationToken)
    {
        var at = clock.GetUtcNow();
        var (job, submitted) = Job.Submit(Job.NewId(at), spec, actor.ToString(), at);
        return store.SubmitAsync(job, submitted, cancellationToken);
    }

    /// <summary>
    /// Reads a manifest stream and submits every document in order. The whole stream is validated before anything is
    /// submitted (<see cref="WorkloadSpecException"/> lists every problem); each submission then commits on its own,
    /// so resubmitting the stream after a failure part-way is safe for documents with idempotency keys.
    /// </summary>
    public async Task<IReadOnlyList<SubmitResult>> SubmitManifestAsync(string manifest, Actor actor, CancellationToken cancellationToken)
    {
        var specs = WorkloadSpecReader.ParseAll(manifest);
        var results = new List<SubmitResult>(specs.Count);
        foreach (var spec in specs)
        {
            results.Add(await SubmitAsync(spec, actor, cancellationToken));
        }

        return results;
    }

    /// <summary>Cancels a pending, admitted, placed or running job; cancelling a cancelled job changes nothing.</summary>
    public Task<Job> CancelAsync(JobId id, Actor actor, string reason, CancellationToken cancellationToken) =>
        TransitionAsync(id, JobState.Cancelled, actor, reason, null, null, cancellationToken);

    /// <summary>
    /// Moves a job to <paramref name="to"/>. Asking for the state it is already in changes nothing and succeeds, so a
    /// retried command is harmless; a concurrent change is retried against the fresh state.
    /// </summary>
    public async Task<Job> TransitionAsync(
        JobId id,
        JobState to,
        Actor actor,
        string reason,
        IReadOnlyList<ReplicaPlacement>? placement,
        string? details,
        CancellationToken cancellationToken)
    {
        RequireReason(reason);
        for (int attempt = 1; ; attempt++)
        {
            var job = await store.GetAsync(id, cancellationToken) ?? throw new KeyNotFoundException($"No job '{id}'.");
            if (job.State == to)
            {
                return job;
            }

            try
            {
                var transition = new JobTransition(to, reason, actor.ToString(), clock.GetUtcNow(), placement, details);
                return (await store.TransitionAsync(id, job.Version, transition, cancellationToken)).Job;
            }
            catch (ConcurrencyConflictException) when (attempt < MaxAttempts)
            {
                // Someone else moved it in between: re-read and decide again against its new state.
            }
        }
    }

    /// <summary>
    /// Records that a placed or running job was preempted or lost its hardware (<paramref name="interruption"/>), then
    /// sends it back to pending for its next attempt while its retry budget lasts, else to failed ("retry budget
    /// exhausted"). Two commits: a crash between them leaves the job preempted or infra-failed, and
    /// <see cref="ResumeInterruptedAsync"/> finishes the move.
    /// </summary>
    public async Task<Job> InterruptAsync(JobId id, JobState interruption, Actor actor, string reason, string? details, CancellationToken cancellationToken)
    {
        if (interruption is not (JobState.Preempted or JobState.InfraFailed))
        {
            throw new ArgumentException($"An interruption is Preempted or InfraFailed, not {interruption}.", nameof(interruption));
        }

        await TransitionAsync(id, interruption, actor, reason, null, details, cancellationToken);
        return await ResumeInterruptedAsync(id, actor, cancellationToken);
    }

    /// <summary>Moves a preempted or infra-failed job on: back to pending while its budget lasts, else to failed. Other jobs are returned unchanged.</summary>
    public async Task<Job> ResumeInterruptedAsync(JobId id, Actor actor, CancellationToken cancellationToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            var job = await store.GetAsync(id, cancellationToken) ?? throw new KeyNotFoundException($"No job '{id}'.");
            if (job.State is not (JobState.Preempted or JobState.InfraFailed))
            {
                return job;
            }

            try
            {
                var next = JobMachine.AfterInterruption(job, actor.ToString(), clock.GetUtcNow());
                return (await store.TransitionAsync(id, job.Version, next, cancellationToken)).Job;
            }
            catch (ConcurrencyConflictException) when (attempt < MaxAttempts)
            {
                // Another resumer got there first; the re-read finds it already moved on.
            }
        }
    }

    private static void RequireReason(string reason)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new ArgumentException("A reason is required: every job state change is audited with why it was made.", nameof(reason));
        }
    }
}
