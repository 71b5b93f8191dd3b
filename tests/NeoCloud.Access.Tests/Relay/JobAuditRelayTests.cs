using NeoCloud.Access.Audit;
using NeoCloud.Access.Relay;
using NeoCloud.Kernel.Audit;
using NeoCloud.Kernel.Ids;
using NeoCloud.Server.Tests.Fakes;
using NeoCloud.Workloads.Execution;
using NeoCloud.Workloads.Jobs;
using NeoCloud.Workloads.Specs;

namespace NeoCloud.Access.Tests.Relay;

public sealed class JobAuditRelayTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    private static readonly JobSpec Spec = WorkloadSpecReader.ParseJob("""
        apiVersion: neocloud.dev/v1
        kind: Job
        metadata: { name: train, tenant: acme }
        spec:
          queue: acme-training
          retryBudget: 1
          resources: { gpus: 8, cpu: 32, memory: 256 }
        """);

    private readonly InMemoryWorkloadStore _workloads = new();
    private readonly InMemoryAuditStore _audit = new();
    private int _jobs;

    [Fact]
    public async Task Every_job_state_change_becomes_one_audit_entry_named_for_what_happened()
    {
        var job = await SubmitAsync();
        job = await MoveAsync(job, JobState.Admitted, "agent:scheduler");
        job = await MoveAsync(job, JobState.Placed, "agent:scheduler", [new ReplicaPlacement(new NodeId("n1"), [0, 1, 2, 3, 4, 5, 6, 7], 1000)], "leaf-2");
        job = await MoveAsync(job, JobState.Running, "automation:twin");
        job = await MoveAsync(job, JobState.Preempted, "agent:scheduler");
        job = (await _workloads.TransitionAsync(job.Id, job.Version, JobMachine.AfterInterruption(job, "agent:scheduler", T0), default)).Job;
        await MoveAsync(job, JobState.Cancelled, "person:ana");

        int relayed = await new JobAuditRelay(_workloads, _audit).RelayAsync(default);

        Assert.Equal(7, relayed);
        var records = _audit.Records;
        Assert.Equal(["job.submit", "job.admit", "job.place", "job.start", "job.preempt", "job.requeue", "job.cancel"], records.Select(r => r.Action));
        Assert.Equal(Enumerable.Range(1, 7).Select(i => $"workloads.job-event:{i}"), records.Select(r => r.SourceId));
        Assert.All(records, r => Assert.Equal(job.Id.Value, r.Target));
        Assert.Equal((null, "pending", Actor.Person("ana")), (records[0].Before, records[0].After, records[0].Actor));
        Assert.Equal(("admitted", "placed", "because (leaf-2)", Actor.Agent("scheduler")), (records[2].Before, records[2].After, records[2].Reason, records[2].Actor));
        Assert.Equal(("preempted", "pending"), (records[5].Before, records[5].After));
        Assert.Null(AuditChain.FirstBroken(records));
    }

    [Fact]
    public async Task Running_the_relay_twice_audits_each_change_once()
    {
        await SubmitAsync();
        var relay = new JobAuditRelay(_workloads, _audit);

        Assert.Equal(1, await relay.RelayAsync(default));
        Assert.Equal(0, await relay.RelayAsync(default));
        Assert.Equal(0, await new JobAuditRelay(_workloads, _audit).RelayAsync(default));

        Assert.Single(_audit.Records);
    }

    [Fact]
    public async Task Concurrent_relays_audit_each_change_exactly_once()
    {
        for (int i = 0; i < 40; i++)
        {
            await MoveAsync(await SubmitAsync(), JobState.Admitted, "agent:scheduler");
        }

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => new JobAuditRelay(_workloads, _audit).RelayAsync(default))));

        var records = _audit.Records;
        Assert.Equal(80, records.Count);
        Assert.Equal(80, records.Select(r => r.SourceId).Distinct().Count());
        Assert.Null(AuditChain.FirstBroken(records));
    }

    [Fact]
    public async Task A_change_committed_before_a_crash_is_audited_by_the_next_run()
    {
        var job = await SubmitAsync();
        await new JobAuditRelay(_workloads, _audit).RelayAsync(default);

        // The process dies after the workload store commits and before any relay runs.
        await MoveAsync(job, JobState.Cancelled, "person:bob");

        Assert.Equal(1, await new JobAuditRelay(_workloads, _audit).RelayAsync(default));
        Assert.Equal(["job.submit", "job.cancel"], _audit.Records.Select(r => r.Action));
    }

    [Fact]
    public async Task A_backlog_longer_than_one_batch_is_relayed_until_caught_up()
    {
        for (int i = 0; i < 1234; i++)
        {
            await SubmitAsync();
        }

        Assert.Equal(1234, await new JobAuditRelay(_workloads, _audit).RelayAsync(default));
        Assert.Equal(1234, await _audit.LastSourceSequenceAsync(JobAuditRelay.Stream, default));
    }

    private async Task<Job> SubmitAsync()
    {
        var (job, submitted) = Job.Submit(new JobId($"job-{Interlocked.Increment(ref _jobs):D5}"), Spec, "person:ana", T0);
        return (await _workloads.SubmitAsync(job, submitted, default)).Job;
    }

    private async Task<Job> MoveAsync(Job job, JobState to, string actor, IReadOnlyList<ReplicaPlacement>? placement = null, string? details = null) =>
        (await _workloads.TransitionAsync(job.Id, job.Version, new JobTransition(to, "because", actor, T0, placement, details), default)).Job;
}
