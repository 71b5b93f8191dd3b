using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using NeoCloud.Fleet.Spec;
using NeoCloud.Fleet.Topology;
using NeoCloud.Kernel.Ids;
using NeoCloud.Scheduling.Cycles;
using NeoCloud.Scheduling.Gangs;
using NeoCloud.Scheduling.Queues;
using NeoCloud.Scheduling.Topology;
using NeoCloud.Workloads.Control;
using NeoCloud.Workloads.Execution;
using NeoCloud.Workloads.Jobs;
using NeoCloud.Workloads.Placement;
using NeoCloud.Workloads.Specs;

namespace NeoCloud.Workloads.Tests.Control;

/// <summary>Health remediation takes work off faulty hardware through the controller: evict (requeue from the last checkpoint) and signal a checkpoint.</summary>
public sealed class EvictionTests
{
    private static readonly Lazy<FleetTopology> Fleet = new(() => FleetGenerator.Generate(DefaultFleet.ScaledTo(100)));

    [Fact]
    public async Task An_evicted_running_job_is_requeued_from_its_last_checkpoint_and_the_work_since_it_is_counted_as_lost()
    {
        var flow = await Flow.StartAsync();
        var id = await flow.SubmitRunningAsync(gpus: 4, retryBudget: 3);
        flow.Clock.Advance(TimeSpan.FromMinutes(30));
        await ((IExecutionReporter)flow.Controller).CheckpointedAsync(id, 1, TimeSpan.FromMinutes(30), flow.Clock.GetUtcNow());
        flow.Clock.Advance(TimeSpan.FromMinutes(45));

        double lost = await flow.Controller.EvictAsync(id, "XID 79 on its GPU", default);

        Assert.Equal(4 * 0.75, lost, 6);
        var job = (await flow.Store.GetAsync(id, default))!;
        Assert.Equal(JobState.Pending, job.State);
        Assert.Equal(2, job.Attempt);
        Assert.Equal(1, job.RetriesUsed);
        Assert.Equal(TimeSpan.FromMinutes(30), job.CheckpointProgress);
        var stop = Assert.Single(flow.Executor.Stopped);
        Assert.Equal((id, 1), (stop.Job, stop.Attempt));
        var events = await flow.Store.ListEventsAsync(id, default);
        Assert.Contains(events, e => e.To == JobState.InfraFailed && e.Reason == "evicted: XID 79 on its GPU");

        await flow.Controller.RunCycleAsync(default);
        var restart = flow.Executor.Started[^1];
        Assert.Equal(2, restart.Attempt);
        Assert.Equal(TimeSpan.FromMinutes(30), restart.ResumeFrom);
    }

    [Fact]
    public async Task An_evicted_job_without_a_checkpoint_loses_everything_since_its_start()
    {
        var flow = await Flow.StartAsync();
        var id = await flow.SubmitRunningAsync(gpus: 2, retryBudget: 1);
        flow.Clock.Advance(TimeSpan.FromHours(3));

        double lost = await flow.Controller.EvictAsync(id, "node reboot", default);

        Assert.Equal(6.0, lost, 6);
    }

    [Fact]
    public async Task Eviction_spends_the_retry_budget_like_an_infrastructure_failure()
    {
        var flow = await Flow.StartAsync();
        var id = await flow.SubmitRunningAsync(gpus: 1, retryBudget: 0);

        await flow.Controller.EvictAsync(id, "GPU quarantined", default);

        var job = (await flow.Store.GetAsync(id, default))!;
        Assert.Equal(JobState.Failed, job.State);
        Assert.Equal(JobMachine.RetryBudgetExhausted, job.LastReason);
    }

    [Fact]
    public async Task A_job_that_holds_no_capacity_is_not_evicted_and_loses_nothing()
    {
        var flow = await Flow.StartAsync();
        var pending = (await flow.Controller.SubmitAsync(WorkloadSpecReader.ParseJob(Manifest("later", 1, 3)), "person:alice", default)).Job.Id;

        double lost = await flow.Controller.EvictAsync(pending, "node reboot", default);

        Assert.Equal(0, lost);
        Assert.Equal(JobState.Pending, (await flow.Store.GetAsync(pending, default))!.State);
        Assert.Empty(flow.Executor.Stopped);
    }

    [Fact]
    public async Task Evicting_an_unknown_job_says_which()
    {
        var flow = await Flow.StartAsync();

        var error = await Assert.ThrowsAsync<KeyNotFoundException>(() => flow.Controller.EvictAsync(new JobId("job-nope"), "x", default));

        Assert.Contains("job-nope", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_checkpoint_signal_reaches_the_executor_for_the_current_attempt_only_while_the_job_holds_capacity()
    {
        var flow = await Flow.StartAsync();
        var id = await flow.SubmitRunningAsync(gpus: 1, retryBudget: 3);

        Assert.True(await flow.Controller.SignalCheckpointAsync(id, default));
        Assert.Equal((id, 1), Assert.Single(flow.Executor.CheckpointSignals));

        await flow.Controller.CancelAsync(id, "person:alice", "done", default);
        Assert.False(await flow.Controller.SignalCheckpointAsync(id, default));
        Assert.Single(flow.Executor.CheckpointSignals);
    }

    [Fact]
    public async Task The_jobs_holding_capacity_are_listed_with_their_placements()
    {
        var flow = await Flow.StartAsync();
        var running = await flow.SubmitRunningAsync(gpus: 2, retryBudget: 3);

        var placed = await flow.Controller.ListPlacedAsync(default);

        var job = Assert.Single(placed);
        Assert.Equal(running, job.Id);
        Assert.Equal(2, job.Placement.Sum(r => r.Gpus.Count));
    }

    private static string Manifest(string name, int gpus, int retryBudget) => $$"""
        apiVersion: neocloud.dev/v1
        kind: Job
        metadata: { name: {{name}}, tenant: acme }
        spec:
          queue: training
          replicas: 1
          resources: { gpus: {{gpus}}, gpuTypes: [h200], cpu: 8, memory: 64 }
          priorityClass: normal
          retryBudget: {{retryBudget}}
          run: { image: registry.example/train:1 }

        """;

    private sealed class Flow
    {
        private Flow(FakeTimeProvider clock, JobStoreFake store, ExecutorFake executor, JobController controller)
        {
            Clock = clock;
            Store = store;
            Executor = executor;
            Controller = controller;
        }

        public FakeTimeProvider Clock { get; }
        public JobStoreFake Store { get; }
        public ExecutorFake Executor { get; }
        public JobController Controller { get; }

        public static async Task<Flow> StartAsync()
        {
            var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));
            var store = new JobStoreFake();
            var executor = new ExecutorFake();
            var placer = new TopologyGangPlacer(new ClusterTopology(FleetPlacementView.Nodes(Fleet.Value)));
            var controller = new JobController(store, executor, new ClusterScheduler(placer, new SchedulerOptions()), placer, clock);
            await controller.ApplyAsync(QueueManifestReader.Parse(Queues()), default);
            return new Flow(clock, store, executor, controller);
        }

        /// <summary>Submits a job, places it in a cycle and reports it running.</summary>
        public async Task<JobId> SubmitRunningAsync(int gpus, int retryBudget)
        {
            var id = (await Controller.SubmitAsync(WorkloadSpecReader.ParseJob(Manifest($"train-{gpus}", gpus, retryBudget)), "person:alice", default)).Job.Id;
            await Controller.RunCycleAsync(default);
            Assert.Equal(id, Executor.Started[^1].Job);
            await ((IExecutionReporter)Controller).StartedAsync(id, 1, Clock.GetUtcNow());
            Assert.Equal(JobState.Running, (await Store.GetAsync(id, default))!.State);
            return id;
        }

        private static string Queues()
        {
            var text = new System.Text.StringBuilder("""
                apiVersion: neocloud.dev/v1
                kind: Queue
                metadata: { name: training }
                spec:
                  tenant: acme
                  quotas:

                """);
            foreach (var group in Fleet.Value.Nodes.GroupBy(n => n.Sku, StringComparer.Ordinal))
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"    - {{ flavour: {group.Key}, nominal: {group.Sum(n => n.GpuCount)} }}");
            }

            return text.ToString();
        }
    }
}
