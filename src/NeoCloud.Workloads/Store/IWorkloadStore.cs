using NeoCloud.Kernel;
using NeoCloud.Kernel.Ids;
using NeoCloud.Workloads.Jobs;

namespace NeoCloud.Workloads.Store;

/// <summary>
/// The Workloads context's state of record: jobs and services, their event log (in commit order, the outbox the audit
/// relay and <c>watch</c> follow), and the scheduling declarations (tenants, queues, cohorts) as versioned documents.
/// </summary>
public interface IWorkloadStore
{
    /// <summary>
    /// Stores a new job (from <see cref="Job.Submit"/>) with its submission event. When the job has an idempotency key
    /// that its tenant already used: the same spec returns the existing job (<see cref="SubmitResult.Created"/> false),
    /// a different spec throws <see cref="IdempotencyConflictException"/>. Concurrent submissions of one key make one job.
    /// </summary>
    Task<SubmitResult> SubmitAsync(Job job, JobEvent submitted, CancellationToken cancellationToken);

    Task<Job?> GetAsync(JobId id, CancellationToken cancellationToken);

    /// <summary>Jobs matching the query, in id order, one keyset page at a time.</summary>
    Task<Page<Job>> ListAsync(JobQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Applies a lifecycle change (<see cref="JobMachine.Apply"/>) to the job at <paramref name="expectedVersion"/> and
    /// writes the new state and its event in one transaction. Throws <see cref="KeyNotFoundException"/> for an unknown
    /// job, <see cref="Kernel.Persistence.ConcurrencyConflictException"/> when the job is no longer at that version, and
    /// <see cref="IllegalJobTransitionException"/> when the lifecycle forbids it; nothing is written then.
    /// </summary>
    Task<JobChange> TransitionAsync(JobId id, long expectedVersion, JobTransition transition, CancellationToken cancellationToken);

    /// <summary>Records a checkpoint of an attempt (<see cref="JobMachine.RecordCheckpoint"/>); a stale report changes nothing. Returns the job as stored.</summary>
    Task<Job> RecordCheckpointAsync(JobId id, int attempt, TimeSpan progress, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>A job's events, oldest first; empty for an unknown job.</summary>
    Task<IReadOnlyList<JobEvent>> ListEventsAsync(JobId id, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="limit"/> events of every job with a sequence above <paramref name="afterSequence"/>, in sequence order; a reader that has seen sequence n never later finds a smaller one.</summary>
    Task<IReadOnlyList<JobEvent>> ListEventsAfterAsync(long afterSequence, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Creates (<paramref name="expectedVersion"/> 0: it must not exist yet) or replaces (it must be at that version) a
    /// declaration; returns it as stored, with its new version. A mismatch throws <see cref="Kernel.Persistence.ConcurrencyConflictException"/>.
    /// </summary>
    Task<Declaration> UpsertDeclarationAsync(
        DeclarationKind kind, string name, TenantId? tenant, string text, long expectedVersion, DateTimeOffset at, CancellationToken cancellationToken);

    Task<Declaration?> GetDeclarationAsync(DeclarationKind kind, string name, CancellationToken cancellationToken);

    /// <summary>Declarations in (kind, name) order, optionally of one kind and one tenant.</summary>
    Task<IReadOnlyList<Declaration>> ListDeclarationsAsync(DeclarationKind? kind, TenantId? tenant, CancellationToken cancellationToken);

    /// <summary>Deletes a declaration at <paramref name="expectedVersion"/>; false when there is none, a conflict when it is at another version.</summary>
    Task<bool> DeleteDeclarationAsync(DeclarationKind kind, string name, long expectedVersion, CancellationToken cancellationToken);
}
