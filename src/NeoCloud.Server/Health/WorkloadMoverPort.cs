using System.Collections.Concurrent;
using NeoCloud.Health.Metrics;
using NeoCloud.Health.Remediation;
using NeoCloud.Kernel.Ids;
using NeoCloud.Workloads.Control;
using NeoCloud.Workloads.Jobs;

namespace NeoCloud.Server.Health;

/// <summary>
/// Remediation's hands on the Workloads context: finds the jobs whose placement touches some hardware, asks them to
/// checkpoint, and evicts them (requeued from their last checkpoint through the scheduler). Keeps the map from the
/// frame's work keys back to jobs (<see cref="WorkKeys"/>) that the health loop fills each round.
/// </summary>
public sealed class WorkloadMoverPort(JobController controller, HealthMetrics metrics, FleetRemediationPort? fleet = null) : IWorkloadMover
{
    private readonly ConcurrentDictionary<long, (JobId Id, string Name)> _jobs = new();
    private readonly ConcurrentDictionary<long, string> _tenants = new();

    /// <summary>Remembers a job under its work key (the health loop calls this for every placed job each round).</summary>
    public long Remember(Job job)
    {
        ArgumentNullException.ThrowIfNull(job);
        long key = WorkKeys.Of(job.Id);
        _jobs[key] = (job.Id, job.Name);
        _tenants[key] = job.Tenant.ToString();
        return key;
    }

    /// <summary>The tenant of the job behind a work key, if it was seen placed (alerts name who was hit).</summary>
    public string? TenantOf(long work) => _tenants.TryGetValue(work, out var tenant) ? tenant : null;

    /// <summary>The job behind a work key, if it was seen placed.</summary>
    public (JobId Id, string Name)? JobOf(long work) => _jobs.TryGetValue(work, out var job) ? job : null;

    public async Task<IReadOnlyList<WorkOnHardware>> WorkOnAsync(IReadOnlyList<string> nodes, IReadOnlyList<string> gpus, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(gpus);
        var wholeNodes = nodes.ToHashSet(StringComparer.Ordinal);
        var someGpus = gpus.ToHashSet(StringComparer.Ordinal);
        var result = new List<WorkOnHardware>();
        foreach (var job in await controller.ListPlacedAsync(cancellationToken))
        {
            bool touches = job.Placement.Any(r => wholeNodes.Contains(r.Node.Value) || r.Gpus.Any(g => someGpus.Contains(GpuId.Of(r.Node, g).Value)));
            if (!touches)
            {
                continue;
            }

            long key = Remember(job);
            int gpuCount = job.Placement.Sum(r => r.Gpus.Count);
            result.Add(new WorkOnHardware(key, job.Name, gpuCount, job.CheckpointAt));
        }

        return result;
    }

    public async Task SignalCheckpointAsync(WorkOnHardware work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        await controller.SignalCheckpointAsync(IdOf(work), cancellationToken);
    }

    public async Task<double> EvictAsync(WorkOnHardware work, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        double lost = await controller.EvictAsync(IdOf(work), reason, cancellationToken);
        metrics.GpuHoursLost(lost);
        if (fleet is not null)
        {
            // The evicted job freed the GPUs it held: quarantined ones among them are held now, before a cycle can reuse them.
            await fleet.ReassertHoldsAsync(cancellationToken);
        }

        return lost;
    }

    private JobId IdOf(WorkOnHardware work) =>
        JobOf(work.Work)?.Id ?? throw new KeyNotFoundException($"No job is known under work key {work.Work} ({work.Name}); it was never seen placed.");
}
