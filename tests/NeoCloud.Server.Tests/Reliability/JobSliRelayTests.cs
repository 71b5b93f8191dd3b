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
        services: s => s.AddSingleton<IReliabilityStore>(new InMemoryReliabilityStore()));
}
