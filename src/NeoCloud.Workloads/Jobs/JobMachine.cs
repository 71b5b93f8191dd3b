using System.Collections.Frozen;
using NeoCloud.Workloads.Execution;

namespace NeoCloud.Workloads.Jobs;

/// <summary>
/// The job lifecycle: pending → admitted → placed → running → succeeded | failed | cancelled; pending, admitted and
/// placed may be cancelled; placed and running may be preempted or fail under the work (infra-failed), and from there
/// the job goes back to pending (a new attempt, from its last checkpoint) while its retry budget lasts, else to failed
/// with the reason "retry budget exhausted". Nothing else.
/// </summary>
public static class JobMachine
{
    public const string RetryBudgetExhausted = "retry budget exhausted";

    private static readonly FrozenDictionary<JobState, FrozenSet<JobState>> Next = new Dictionary<JobState, FrozenSet<JobState>>
    {
        [JobState.Pending] = Set(JobState.Admitted, JobState.Cancelled),
        [JobState.Admitted] = Set(JobState.Placed, JobState.Cancelled),
        [JobState.Placed] = Set(JobState.Running, JobState.Cancelled, JobState.Preempted, JobState.InfraFailed),
        [JobState.Running] = Set(JobState.Succeeded, JobState.Failed, JobState.Cancelled, JobState.Preempted, JobState.InfraFailed),
        [JobState.Preempted] = Set(JobState.Pending, JobState.Failed),
        [JobState.InfraFailed] = Set(JobState.Pending, JobState.Failed),
        [JobState.Succeeded] = Set(),
        [JobState.Failed] = Set(),
        [JobState.Cancelled] = Set(),
    }.ToFrozenDictionary();

    /// <summary>The states the lifecycle allows next from <paramref name="from"/>, whatever the retry budget.</summary>
    public static IReadOnlySet<JobState> NextStates(JobState from) => Next[from];

    public static bool CanTransition(JobState from, JobState to) => Next[from].Contains(to);

    public static bool IsFinal(JobState state) => state is JobState.Succeeded or JobState.Failed or JobState.Cancelled;

    /// <summary>Whether the job holds capacity in this state (its placement is live).</summary>
    public static bool HoldsCapacity(JobState state) => state is JobState.Placed or JobState.Running;

    /// <summary>
    /// The change to make after a preemption or an infrastructure failure: back to pending for a new attempt while the
    /// retry budget lasts, else failed with the reason <see cref="RetryBudgetExhausted"/>.
    /// </summary>
    public static JobTransition AfterInterruption(Job job, string actor, DateTimeOffset at)
    {
        if (job.State is not (JobState.Preempted or JobState.InfraFailed))
        {
            throw new IllegalJobTransitionException(job.Id, job.State, JobState.Pending, NextStates(job.State), "only a preempted or infra-failed job is restarted");
        }

        return job.RetriesLeft > 0
            ? new JobTransition(JobState.Pending, $"restart after {Name(job.State)} (retry {job.RetriesUsed + 1} of {job.RetryBudget})", actor, at)
            : new JobTransition(JobState.Failed, RetryBudgetExhausted, actor, at, Details: $"{job.RetriesUsed} of {job.RetryBudget} retries used; last: {job.LastReason}");
    }

    /// <summary>Applies one change: the job after it (version + 1) and the event that records it; throws <see cref="IllegalJobTransitionException"/> and changes nothing when the lifecycle forbids it.</summary>
    public static (Job Job, JobEvent Event) Apply(Job job, JobTransition transition)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(transition.Reason);
        ArgumentException.ThrowIfNullOrWhiteSpace(transition.Actor);
        var from = job.State;
        var to = transition.To;
        if (!CanTransition(from, to))
        {
            throw new IllegalJobTransitionException(job.Id, from, to, NextStates(from));
        }

        bool interrupted = from is JobState.Preempted or JobState.InfraFailed;
        if (interrupted && to == JobState.Pending && job.RetriesLeft <= 0)
        {
            throw new IllegalJobTransitionException(job.Id, from, to, NextStates(from),
                $"its retry budget is spent ({job.RetriesUsed} of {job.RetryBudget}); it goes to Failed ({RetryBudgetExhausted})");
        }

        if (interrupted && to == JobState.Failed && job.RetriesLeft > 0)
        {
            throw new IllegalJobTransitionException(job.Id, from, to, NextStates(from),
                $"it has {job.RetriesLeft} retries left; it goes back to Pending");
        }

        if (to == JobState.Placed && transition.Placement is not { Count: > 0 })
        {
            throw new ArgumentException($"Placing job {job.Id} needs the placement of every replica.", nameof(transition));
        }

        if (to != JobState.Placed && transition.Placement is not null)
        {
            throw new ArgumentException($"Only a move to Placed carries a placement (job {job.Id} is moving to {to}).", nameof(transition));
        }

        bool restart = interrupted && to == JobState.Pending;
        IReadOnlyList<ReplicaPlacement> placement = to switch
        {
            JobState.Placed => [.. transition.Placement!],
            JobState.Running => job.Placement,
            _ => [],
        };
        var next = job with
        {
            State = to,
            Version = job.Version + 1,
            Attempt = restart ? job.Attempt + 1 : job.Attempt,
            RetriesUsed = restart ? job.RetriesUsed + 1 : job.RetriesUsed,
            Placement = placement,
            StartedAt = to == JobState.Running ? job.StartedAt ?? transition.At : job.StartedAt,
            FinishedAt = IsFinal(to) ? transition.At : null,
            LastReason = transition.Reason,
        };
        return (next, new JobEvent(0, job.Id, from, to, transition.Reason, transition.Actor, transition.At, next.Attempt, transition.Details));
    }

    /// <summary>
    /// Records a checkpoint of the current attempt; a report for an older attempt, or one that holds less than what is
    /// already saved, changes nothing (executors may report late or twice). Not a state change: the version stays.
    /// </summary>
    public static Job RecordCheckpoint(Job job, int attempt, TimeSpan progress, DateTimeOffset at)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(progress, TimeSpan.Zero);
        if (attempt != job.Attempt || job.IsFinal || (job.CheckpointProgress is { } saved && saved >= progress))
        {
            return job;
        }

        return job with { CheckpointProgress = progress, CheckpointAt = at };
    }

    /// <summary>The API's spelling of a state (<c>infra-failed</c>).</summary>
    public static string Name(JobState state) => state switch
    {
        JobState.InfraFailed => "infra-failed",
        _ => state.ToString().ToLowerInvariant(),
    };

    private static FrozenSet<JobState> Set(params JobState[] states) => states.ToFrozenSet();
}
