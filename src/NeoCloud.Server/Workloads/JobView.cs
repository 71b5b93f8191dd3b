using NeoCloud.Workloads.Execution;
using NeoCloud.Workloads.Jobs;
using NeoCloud.Workloads.Specs;

namespace NeoCloud.Server.Workloads;

/// <summary>A job as the API shows it: its record, its estimated start while pending, and its spec.</summary>
public sealed record JobView(
    string Id,
    string Name,
    string Kind,
    string Tenant,
    string Queue,
    string State,
    long Version,
    int Attempt,
    int RetriesUsed,
    int RetryBudget,
    string PriorityClass,
    DateTimeOffset SubmittedAt,
    DateTimeOffset? EstimatedStart,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    TimeSpan? CheckpointProgress,
    DateTimeOffset? CheckpointAt,
    string LastReason,
    IReadOnlyList<ReplicaPlacement> Placement,
    WorkloadSpec Spec,
    bool? Created = null)
{
    public static JobView Of(Job job, DateTimeOffset? estimatedStart, bool? created = null)
    {
        var spec = job.Spec;
        return new JobView(
            job.Id.Value, job.Name, job.Kind.ToString(), job.Tenant.Value, job.Queue.Value, JobMachine.Name(job.State), job.Version,
            job.Attempt, job.RetriesUsed, job.RetryBudget, spec.PriorityClass.Name, job.SubmittedAt, estimatedStart, job.StartedAt,
            job.FinishedAt, job.CheckpointProgress, job.CheckpointAt, job.LastReason, job.Placement, spec, created);
    }
}
