using NeoCloud.Kernel.Ids;

namespace NeoCloud.Workloads.Jobs;

/// <summary>
/// One state change of a job, as persisted with it: the job's history, the audit outbox and what <c>watch</c> streams.
/// <paramref name="From"/> is null for the submission that created the job.
/// </summary>
/// <param name="Sequence">Position in the store's event log, increasing in commit order; 0 until stored.</param>
/// <param name="Attempt">The attempt the job is on after the change.</param>
/// <param name="Details">Extra facts of the change (placement, preemptor, exit detail), free text; null when none.</param>
public sealed record JobEvent(
    long Sequence,
    JobId Job,
    JobState? From,
    JobState To,
    string Reason,
    string Actor,
    DateTimeOffset At,
    int Attempt,
    string? Details);
