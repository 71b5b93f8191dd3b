using NeoCloud.Kernel.Ids;
using NeoCloud.Workloads.Jobs;
using NeoCloud.Workloads.Specs;
using NeoCloud.Workloads.Store;

namespace NeoCloud.Server.Reliability;

/// <summary>
/// Turns the job controller's transitions (the workload store's event log) into SLI events: <see cref="SliEvents.JobStartLatency"/>
/// (a job that reaches Running within <see cref="SliEvents.JobStartThreshold"/> of its admission is good) and
/// <see cref="SliEvents.JobSuccess"/> (per tenant: Succeeded is good, Failed after an infrastructure failure spent the retry
/// budget is bad; a job's own error and cancellations are the user's and left out) and <see cref="SliEvents.TrainingGoodput"/>
/// (per tenant, when each attempt of a batch job ends: GPU-seconds it ran minus the GPU-seconds an interruption threw away
/// since its last checkpoint, out of the GPU-seconds it held from placement on). Tails the log from where it stood
/// when the host started, so a restart never counts history twice. Not thread-safe: the reliability loop owns it.
/// </summary>
public sealed class JobSliRelay(IWorkloadStore store, SliEvents sli, ILogger<JobSliRelay> logger)
{
    private const int Batch = 500;
    private readonly Dictionary<JobId, DateTimeOffset> _admittedAt = [];
    private readonly Dictionary<JobId, string> _tenantOf = [];
    private readonly Dictionary<JobId, Attempt> _attempts = [];
    private long? _after;

    /// <summary>Reads the events since the last call and records their SLI events; returns how many events it read.</summary>
    public async Task<int> CatchUpAsync(CancellationToken cancellationToken)
    {
        if (_after is null)
        {
            // Start at the end: what happened before this host started was counted (or not) by the one before it.
            long last = 0;
            while (await store.ListEventsAfterAsync(last, Batch, cancellationToken) is { Count: > 0 } skipped)
            {
                last = skipped[^1].Sequence;
            }

            _after = last;
            return 0;
        }

        int read = 0;
        while (await store.ListEventsAfterAsync(_after.Value, Batch, cancellationToken) is { Count: > 0 } events)
        {
            foreach (var e in events)
            {
                await ObserveAsync(e, cancellationToken);
            }

            read += events.Count;
            _after = events[^1].Sequence;
            if (events.Count < Batch)
            {
                break;
            }
        }

        return read;
    }

    /// <summary>Records the SLI events one transition means (public so the rules are tested on their own).</summary>
    public async Task ObserveAsync(JobEvent e, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(e);
        await GoodputAsync(e, cancellationToken);
        switch (e.To)
        {
            case JobState.Admitted:
                // The latest admission counts: a job preempted and admitted again is measured from its new admission.
                _admittedAt[e.Job] = e.At;
                break;
            case JobState.Running:
                if (_admittedAt.Remove(e.Job, out var admitted))
                {
                    sli.RecordLatency(SliEvents.JobStartLatency, await TenantOfAsync(e.Job, cancellationToken), e.At, e.At - admitted);
                }

                break;
            case JobState.Succeeded:
                sli.Record(SliEvents.JobSuccess, await TenantOfAsync(e.Job, cancellationToken), e.At, 1, 1);
                Forget(e.Job);
                break;
            case JobState.Failed when e.From == JobState.InfraFailed:
                sli.Record(SliEvents.JobSuccess, await TenantOfAsync(e.Job, cancellationToken), e.At, 0, 1);
                Forget(e.Job);
                break;
            case JobState.Failed or JobState.Cancelled:
                Forget(e.Job);
                break;
        }
    }

    /// <summary>Follows one attempt from placement to its end and records its goodput then.</summary>
    private async Task GoodputAsync(JobEvent e, CancellationToken cancellationToken)
    {
        switch (e.To)
        {
            case JobState.Placed:
                _attempts[e.Job] = new Attempt(e.At);
                return;
            case JobState.Running when _attempts.TryGetValue(e.Job, out var attempt):
                if (await store.GetAsync(e.Job, cancellationToken) is { Kind: WorkloadKind.Job } job
                    && WorkloadSpec.FromCanonicalJson(job.SpecJson) is JobSpec spec)
                {
                    // From the spec, not the placement: the log is read after the fact, when the placement may be gone.
                    // A MIG share holds a fraction of a GPU: count it by its milli-GPUs.
                    var r = spec.Resources;
                    attempt.Gpus = spec.Replicas * (r.IsFractional ? r.GpuMilli / 1000.0 : r.GpuCount);
                    attempt.RunningAt = e.At;
                    _tenantOf[e.Job] = job.Tenant.Value;
                }
                else
                {
                    _attempts.Remove(e.Job); // a service: not training
                }

                return;
            case JobState.Succeeded or JobState.Failed or JobState.Cancelled or JobState.Preempted or JobState.InfraFailed
                when _attempts.Remove(e.Job, out var ended) && ended.Gpus > 0:
                double held = (e.At - ended.PlacedAt).TotalSeconds * ended.Gpus;
                double ran = ended.RunningAt is { } running ? (e.At - running).TotalSeconds * ended.Gpus : 0;
                double lost = 0;
                if (e.To is JobState.Preempted or JobState.InfraFailed && ended.RunningAt is { } start)
                {
                    // The work since the last checkpoint of this attempt is redone by the next one.
                    var checkpoint = (await store.GetAsync(e.Job, cancellationToken))?.CheckpointAt;
                    var since = checkpoint is { } c && c > start ? c : start;
                    lost = Math.Max(0, (e.At - since).TotalSeconds) * ended.Gpus;
                }

                long total = (long)Math.Round(held);
                long good = Math.Clamp((long)Math.Round(ran - lost), 0, total);
                sli.Record(SliEvents.TrainingGoodput, await TenantOfAsync(e.Job, cancellationToken), e.At, good, total);
                return;
        }
    }

    private void Forget(JobId job)
    {
        _admittedAt.Remove(job);
        _tenantOf.Remove(job);
    }

    private async Task<string?> TenantOfAsync(JobId job, CancellationToken cancellationToken)
    {
        if (_tenantOf.TryGetValue(job, out var tenant))
        {
            return tenant;
        }

        if (await store.GetAsync(job, cancellationToken) is not { } stored)
        {
            logger.LogWarning("Job {Job} has events but is not in the workload store; its SLI events count for the region", job);
            return null;
        }

        _tenantOf[job] = stored.Tenant.Value;
        return stored.Tenant.Value;
    }

    private sealed class Attempt(DateTimeOffset placedAt)
    {
        public DateTimeOffset PlacedAt { get; } = placedAt;

        public DateTimeOffset? RunningAt { get; set; }

        public double Gpus { get; set; }
    }
}
