using Microsoft.Extensions.DependencyInjection;
using NeoCloud.Kernel.Ids;
using NeoCloud.Reliability.Store;
using NeoCloud.Server.Reliability;
using NeoCloud.Server.Tests.Fakes;
using NeoCloud.Server.Tests.Workloads;
using NeoCloud.Workloads.Execution;
using NeoCloud.Workloads.Jobs;
using NeoCloud.Workloads.Specs;
using NeoCloud.Workloads.Store;

namespace NeoCloud.Server.Tests.Reliability;

/// <summary>Job transitions, written by hand into the host's workload store (the scheduler is off), become job SLI events.</summary>
public sealed class JobSliRelayTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_job_running_within_ten_minutes_of_admission_is_a_good_start_and_a_late_one_a_bad_start()
    {
        await using var host = await StartAsync();
        var relay = host.Services.GetRequiredService<JobSliRelay>();
        var sli = host.Services.GetRequiredService<SliEvents>();

        await RunAsync(host.Workloads, "quick", "acme", startAfter: TimeSpan.FromMinutes(9), JobState.Succeeded);
        await RunAsync(host.Workloads, "slow", "acme", startAfter: TimeSpan.FromMinutes(11), JobState.Succeeded);
        await relay.CatchUpAsync(CancellationToken.None);

        Assert.Equal(1, sli.Count(SliEvents.JobStartLatency, "acme", good: true));
        Assert.Equal(1, sli.Count(SliEvents.JobStartLatency, "acme", good: false));
    }

    [Fact]
    public async Task Succeeded_jobs_are_good_infrastructure_failures_bad_and_user_errors_and_cancellations_do_not_count()
    {
        await using var host = await StartAsync();
        var relay = host.Services.GetRequiredService<JobSliRelay>();
        var sli = host.Services.GetRequiredService<SliEvents>();

        await RunAsync(host.Workloads, "ok", "globex", TimeSpan.FromMinutes(1), JobState.Succeeded);
        await RunAsync(host.Workloads, "infra", "globex", TimeSpan.FromMinutes(1), JobState.InfraFailed, JobState.Failed);
        await RunAsync(host.Workloads, "bug", "globex", TimeSpan.FromMinutes(1), JobState.Failed);
        await RunAsync(host.Workloads, "stopped", "globex", TimeSpan.FromMinutes(1), JobState.Cancelled);
        int read = await relay.CatchUpAsync(CancellationToken.None);

        Assert.True(read >= 16);
        Assert.Equal(1, sli.Count(SliEvents.JobSuccess, "globex", good: true));
        Assert.Equal(1, sli.Count(SliEvents.JobSuccess, "globex", good: false));
        Assert.Equal(0, await relay.CatchUpAsync(CancellationToken.None)); // nothing new: nothing counted twice
        Assert.Equal(1, sli.Count(SliEvents.JobSuccess, "globex", good: true));
    }

    [Fact]
    public async Task Training_goodput_is_gpu_time_run_minus_work_lost_since_the_last_checkpoint_over_gpu_time_held()
    {
        await using var host = await StartAsync();
        var relay = host.Services.GetRequiredService<JobSliRelay>();
        var sli = host.Services.GetRequiredService<SliEvents>();
        var store = host.Workloads;
        var id = new JobId("job-goodput");
        var (job, submitted) = Job.Submit(id, WorkloadSpecReader.ParseJob(WorkloadApi.Job("goodput", "initech", gpus: 2)), "person:test", T0);
        await store.SubmitAsync(job, submitted, CancellationToken.None);
        job = await MoveAsync(store, job, JobState.Admitted, T0);
        job = await MoveAsync(store, job, JobState.Placed, T0 + TimeSpan.FromMinutes(1), [new ReplicaPlacement(new NodeId("euw1-dc1-r01-n01"), [0, 1], 2000)]);
        job = await MoveAsync(store, job, JobState.Running, T0 + TimeSpan.FromMinutes(2));
        await store.RecordCheckpointAsync(id, job.Attempt, TimeSpan.FromMinutes(3), T0 + TimeSpan.FromMinutes(5), CancellationToken.None);
        job = (await store.GetAsync(id, CancellationToken.None))!;
        await MoveAsync(store, job, JobState.InfraFailed, T0 + TimeSpan.FromMinutes(7));
        await relay.CatchUpAsync(CancellationToken.None);

        // Held 6 min × 2 GPUs = 720 GPU-s; ran 5 min × 2 = 600; lost the 2 min since the checkpoint × 2 = 240.
        Assert.Equal(360, sli.Count(SliEvents.TrainingGoodput, "initech", good: true));
        Assert.Equal(360, sli.Count(SliEvents.TrainingGoodput, "initech", good: false));
    }

    [Fact]
    public async Task Gpu_node_availability_counts_each_tenants_allocated_nodes_per_collection_round()
    {
        await using var host = await StartAsync();
        var sli = host.Services.GetRequiredService<SliEvents>();
        var store = host.Workloads;
        var id = new JobId("job-wide");
        var (job, submitted) = Job.Submit(id, WorkloadSpecReader.ParseJob(WorkloadApi.Job("wide", "umbrella")), "person:test", T0);
        await store.SubmitAsync(job, submitted, CancellationToken.None);
        job = await MoveAsync(store, job, JobState.Admitted, T0);
        job = await MoveAsync(store, job, JobState.Placed, T0, [
            new ReplicaPlacement(new NodeId("euw1-dc1-r01-n01"), [0], 1000), new ReplicaPlacement(new NodeId("euw1-dc1-r01-n02"), [0], 1000)]);
        await MoveAsync(store, job, JobState.Running, T0);

        await host.Services.GetRequiredService<NodeAvailabilitySli>().RecordAsync(new HashSet<string> { "euw1-dc1-r01-n02" }, T0, rounds: 3, CancellationToken.None);
        await host.Services.GetRequiredService<NodeAvailabilitySli>().RecordAsync(new HashSet<string>(), T0, rounds: 0, CancellationToken.None);

        Assert.Equal(3, sli.Count(SliEvents.GpuNodeAvailability, "umbrella", good: true));
        Assert.Equal(3, sli.Count(SliEvents.GpuNodeAvailability, "umbrella", good: false));
    }

    private static async Task<Job> MoveAsync(IWorkloadStore store, Job job, JobState to, DateTimeOffset at, IReadOnlyList<ReplicaPlacement>? placement = null) =>
        (await store.TransitionAsync(job.Id, job.Version, new JobTransition(to, to.ToString(), "system", at, placement), CancellationToken.None)).Job;

    private static async Task RunAsync(IWorkloadStore store, string name, string tenant, TimeSpan startAfter, params JobState[] ends)
    {
        var id = new JobId("job-" + name);
        var spec = WorkloadSpecReader.ParseJob(WorkloadApi.Job(name, tenant, extra: "  retryBudget: 0\n"));
        var (job, submitted) = Job.Submit(id, spec, "person:test", T0);
        await store.SubmitAsync(job, submitted, CancellationToken.None);
        job = (await store.TransitionAsync(id, job.Version, new JobTransition(JobState.Admitted, "admitted", "system", T0), CancellationToken.None)).Job;
        job = (await store.TransitionAsync(
            id, job.Version, new JobTransition(JobState.Placed, "placed", "system", T0 + startAfter, [new ReplicaPlacement(new NodeId("euw1-dc1-r01-n01"), [0], 1000)]),
            CancellationToken.None)).Job;
        job = (await store.TransitionAsync(id, job.Version, new JobTransition(JobState.Running, "running", "executor", T0 + startAfter), CancellationToken.None)).Job;
        foreach (var end in ends)
        {
            job = (await store.TransitionAsync(id, job.Version, new JobTransition(end, end.ToString(), "executor", T0 + startAfter + TimeSpan.FromMinutes(5)), CancellationToken.None)).Job;
        }
    }

    private static Task<NeoCloudTestHost> StartAsync() => NeoCloudTestHost.StartAsync(
        settings: new Dictionary<string, string> { ["NeoCloud:Reliability:StepInterval"] = "01:00:00", ["NeoCloud:Scheduling:Enabled"] = "false" },
        moreServices: s => s.AddSingleton<IReliabilityStore>(new InMemoryReliabilityStore()));
}
