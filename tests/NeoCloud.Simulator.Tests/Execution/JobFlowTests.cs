using System.Globalization;
using FsCheck.Xunit;
using NeoCloud.Fleet.Topology;
using NeoCloud.Kernel.Ids;
using NeoCloud.Scheduling.Cycles;
using NeoCloud.Scheduling.Gangs;
using NeoCloud.Scheduling.Queues;
using NeoCloud.Scheduling.Topology;
using NeoCloud.Server.Tests.Fakes;
using NeoCloud.Simulator.Execution;
using NeoCloud.Simulator.Faults;
using NeoCloud.Simulator.Twin;
using NeoCloud.Workloads.Control;
using NeoCloud.Workloads.Execution;
using NeoCloud.Workloads.Jobs;
using NeoCloud.Workloads.Placement;
using NeoCloud.Workloads.Specs;
using NeoCloud.Workloads.Store;

namespace NeoCloud.Simulator.Tests.Execution;

/// <summary>
/// The job flow end to end on the twin: the real controller, scheduler and topology placer over the small fleet, the
/// twin executor on a quiet twin, driven one tick at a time (cycle, tick, deliver the executor's reports).
/// </summary>
public sealed class JobFlowTests
{
    // Jobs in these tests ask for H200 nodes only, so "the cluster is full" is a handful of nodes, not the whole fleet.
    private const string Sku = "h200-141gb";

    private static readonly Node[] H200Nodes = [.. TestFleets.Small.Nodes.Where(n => n.Sku == Sku)];
    private static readonly int GpusPerNode = H200Nodes[0].GpuCount;

    [Fact]
    public async Task Placement_learns_the_submitted_shapes_and_scores_with_them_once_enough_new_jobs_came_in()
    {
        var flow = await Flow.StartAsync();
        Assert.False(await flow.Controller.RefreshPlacementScorerAsync(10, default));
        Assert.Null(flow.Placer.Scorer);

        await flow.SubmitAsync(Manifest("first", gpus: 1, work: "01:00:00"));
        Assert.True(await flow.Controller.RefreshPlacementScorerAsync(10, default));
        var first = flow.Placer.Scorer;
        Assert.NotNull(first);

        await flow.SubmitAsync(Manifest("second", gpus: 2, work: "01:00:00"));
        Assert.False(await flow.Controller.RefreshPlacementScorerAsync(10, default));
        Assert.Same(first, flow.Placer.Scorer);
        for (int i = 0; i < 9; i++)
        {
            await flow.SubmitAsync(Manifest($"more-{i}", gpus: 1, work: "01:00:00"));
        }

        Assert.True(await flow.Controller.RefreshPlacementScorerAsync(10, default));
        Assert.NotSame(first, flow.Placer.Scorer);
        await flow.RunUntilAsync(() => flow.StateOf(flow.Store.ListAsync(new NeoCloud.Workloads.Store.JobQuery(Limit: 1000), default).Result.Items.Last().Id) == JobState.Running, maxTicks: 5);
        Assert.Equal(12_000, flow.Placer.Snapshot.GpuAllocatedMilli);
    }

    [Fact]
    public async Task A_job_runs_to_success_with_the_whole_event_trail_and_its_checkpoints()
    {
        var flow = await Flow.StartAsync();
        var job = await flow.SubmitAsync(Manifest("train", gpus: 4, work: "00:30:00", checkpoint: "10m"));

        await flow.RunUntilAsync(() => flow.StateOf(job) == JobState.Running, maxTicks: 5);
        var running = await flow.GetAsync(job);
        var replica = Assert.Single(running.Placement);
        Assert.Equal(4, replica.Gpus.Count);
        Assert.All(replica.Gpus, g => Assert.True(flow.IsAllocatedOnTwin(replica.Node, g)));
        Assert.Equal(4000, flow.Placer.Snapshot.GpuAllocatedMilli);

        await flow.RunUntilAsync(() => flow.StateOf(job) == JobState.Succeeded, maxTicks: 70);
        var done = await flow.GetAsync(job);
        var events = await flow.Store.ListEventsAsync(job, default);

        Assert.Equal(
            [JobState.Pending, JobState.Admitted, JobState.Placed, JobState.Running, JobState.Succeeded],
            events.Select(e => e.To));
        Assert.Null(events[0].From);
        Assert.Equal(events.Select(e => e.Sequence).Order(), events.Select(e => e.Sequence));
        Assert.Equal("completed", events[^1].Reason);
        Assert.Equal(TimeSpan.FromMinutes(20), done.CheckpointProgress);
        Assert.NotNull(done.CheckpointAt);
        Assert.InRange(done.FinishedAt!.Value - done.StartedAt!.Value, TimeSpan.FromMinutes(29), TimeSpan.FromMinutes(31));
        Assert.Empty(done.Placement);
        Assert.Equal(0, flow.Placer.Snapshot.GpuAllocatedMilli);
        Assert.All(replica.Gpus, g => Assert.False(flow.IsAllocatedOnTwin(replica.Node, g)));
        Assert.Equal(0, flow.Controller.Active);
    }

    [Fact]
    public async Task Resubmitting_with_the_same_idempotency_key_returns_the_first_job_and_a_different_spec_is_a_conflict()
    {
        var flow = await Flow.StartAsync();
        string manifest = Manifest("train", gpus: 2, work: "01:00:00", key: "run-42");
        var first = await flow.Controller.SubmitAsync(WorkloadSpecReader.ParseJob(manifest), "person:alice", default);
        var again = await flow.Controller.SubmitAsync(WorkloadSpecReader.ParseJob(manifest), "person:alice", default);

        Assert.True(first.Created);
        Assert.False(again.Created);
        Assert.Equal(first.Job.Id, again.Job.Id);

        var conflict = await Assert.ThrowsAsync<IdempotencyConflictException>(() =>
            flow.Controller.SubmitAsync(WorkloadSpecReader.ParseJob(Manifest("train", gpus: 4, work: "01:00:00", key: "run-42")), "person:alice", default));
        Assert.Contains("run-42", conflict.Message, StringComparison.Ordinal);

        var all = await flow.Store.ListAsync(new JobQuery { Limit = 100 }, default);
        Assert.Single(all.Items);
        await flow.TicksAsync(2);
        Assert.Equal(2000, flow.Placer.Snapshot.GpuAllocatedMilli);
    }

    [Fact]
    public async Task A_job_for_an_unknown_queue_is_rejected_and_nothing_is_stored()
    {
        var flow = await Flow.StartAsync();

        var error = await Assert.ThrowsAsync<WorkloadRejectedException>(() =>
            flow.Controller.SubmitAsync(WorkloadSpecReader.ParseJob(Manifest("train", gpus: 1, work: "01:00:00", queue: "nowhere")), "person:alice", default));

        Assert.Contains("'nowhere'", error.Message, StringComparison.Ordinal);
        Assert.Empty((await flow.Store.ListAsync(new JobQuery { Limit = 100 }, default)).Items);
        Assert.Equal(0, flow.Controller.Active);
    }

    [Fact]
    public async Task A_priority_class_the_queue_does_not_allow_is_rejected_before_anything_is_stored()
    {
        var flow = await Flow.StartAsync();
        await flow.Controller.ApplyAsync(QueueManifestReader.Parse("""
            apiVersion: neocloud.dev/v1
            kind: Queue
            metadata: { name: batch }
            spec:
              tenant: acme
              priorityClasses: [low]
              quotas: [{ flavour: h200-141gb, nominal: 8 }]
            """), default);

        var error = await Assert.ThrowsAsync<WorkloadRejectedException>(() =>
            flow.Controller.SubmitAsync(WorkloadSpecReader.ParseJob(Manifest("train", gpus: 1, work: "01:00:00", queue: "batch", priority: "high")), "person:alice", default));

        Assert.Contains("'high'", error.Message, StringComparison.Ordinal);
        Assert.Empty((await flow.Store.ListAsync(new JobQuery { Limit = 100 }, default)).Items);
        var low = await flow.SubmitAsync(Manifest("train", gpus: 1, work: "00:05:00", queue: "batch", priority: "low"));
        await flow.RunUntilAsync(() => flow.StateOf(low) == JobState.Succeeded, maxTicks: 15);
    }

    [Fact]
    public async Task Job_ids_sort_in_submission_order_while_the_virtual_clock_stands_still()
    {
        var flow = await Flow.StartAsync();
        var ids = new List<JobId>();
        for (int i = 0; i < 50; i++)
        {
            ids.Add(await flow.SubmitAsync(Manifest($"job-{i}", gpus: 1, work: "01:00:00")));
        }

        var listed = await flow.Store.ListAsync(new JobQuery { Limit = 100 }, default);

        Assert.Equal(ids, listed.Items.Select(j => j.Id));
        Assert.Equal(ids.Select(i => i.Value), ids.Select(i => i.Value).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_pending_job_is_cancelled_out_of_the_queue_and_never_placed()
    {
        var flow = await Flow.StartAsync();
        var job = await flow.SubmitAsync(Manifest("train", gpus: 1, work: "01:00:00"));

        var cancelled = await flow.Controller.CancelAsync(job, "person:alice", null, default);
        await flow.TicksAsync(3);

        Assert.Equal(JobState.Cancelled, cancelled.State);
        Assert.Equal("cancelled by person:alice", cancelled.LastReason);
        Assert.Equal(JobState.Cancelled, flow.StateOf(job));
        Assert.Equal(0, flow.Placer.Snapshot.GpuAllocatedMilli);
        Assert.Equal(0, flow.Executor.Running);
        var last = (await flow.Store.ListEventsAsync(job, default))[^1];
        Assert.Equal((JobState.Pending, JobState.Cancelled, "person:alice"), (last.From!.Value, last.To, last.Actor));
    }

    [Fact]
    public async Task A_running_job_that_is_cancelled_frees_its_gpus_on_the_twin_and_its_capacity_in_the_placer()
    {
        var flow = await Flow.StartAsync();
        var job = await flow.SubmitAsync(Manifest("train", gpus: GpusPerNode, work: "02:00:00"));
        await flow.RunUntilAsync(() => flow.StateOf(job) == JobState.Running, maxTicks: 5);
        var replica = Assert.Single((await flow.GetAsync(job)).Placement);

        var cancelled = await flow.Controller.CancelAsync(job, "person:bob", "wrong data set", default);
        await flow.TicksAsync(2);

        Assert.Equal(JobState.Cancelled, flow.StateOf(job));
        Assert.Equal("wrong data set", cancelled.LastReason);
        Assert.All(replica.Gpus, g => Assert.False(flow.IsAllocatedOnTwin(replica.Node, g)));
        Assert.Equal(0, flow.Placer.Snapshot.GpuAllocatedMilli);
        Assert.Equal(0, flow.Executor.Running);
        Assert.Equal(0, flow.Controller.Active);

        // The capacity is really back: a job that needs the whole node can go where the cancelled one was.
        var next = await flow.SubmitAsync(Manifest("next", gpus: GpusPerNode, work: "00:10:00"));
        await flow.RunUntilAsync(() => flow.StateOf(next) == JobState.Running, maxTicks: 5);
        Assert.Equal(JobState.Cancelled, flow.StateOf(job));
    }

    [Fact]
    public async Task An_xid_79_under_a_running_job_restarts_it_from_its_checkpoint_as_attempt_2_and_it_succeeds()
    {
        var flow = await Flow.StartAsync();
        var job = await flow.SubmitAsync(Manifest("train", gpus: 2, work: "01:00:00", checkpoint: "10m"));
        await flow.RunUntilAsync(() => flow.StateOf(job) == JobState.Running, maxTicks: 5);
        await flow.TicksAsync(50);
        var before = await flow.GetAsync(job);
        Assert.Equal(TimeSpan.FromMinutes(20), before.CheckpointProgress);
        var replica = Assert.Single(before.Placement);
        var broken = GpuId.Of(replica.Node, replica.Gpus[1]);

        flow.Twin.Inject(new FaultRequest(FaultKind.Xid, broken.Value, Xid: 79));
        flow.Twin.Tick();
        await flow.Executor.FlushAsync(default);

        var interrupted = await flow.GetAsync(job);
        Assert.Equal((JobState.Pending, 2, 1), (interrupted.State, interrupted.Attempt, interrupted.RetriesUsed));
        var events = await flow.Store.ListEventsAsync(job, default);
        var infra = Assert.Single(events, e => e.To == JobState.InfraFailed);
        Assert.Contains(broken.Value, infra.Reason, StringComparison.Ordinal);
        Assert.Equal(1, infra.Attempt);
        Assert.Equal(JobState.Pending, events[^1].To);
        Assert.Equal(0, flow.Placer.Snapshot.GpuAllocatedMilli);

        // Health takes the broken GPU out of placement (the host does this from the fleet's health).
        Assert.True(await flow.Controller.HoldGpuAsync(broken, hold: true, default));
        await flow.Controller.RunCycleAsync(default);
        var restarted = await flow.GetAsync(job);
        Assert.Equal((JobState.Placed, 2), (restarted.State, restarted.Attempt));
        Assert.DoesNotContain(restarted.Placement, r => r.Node == broken.Node && r.Gpus.Contains(broken.Index));
        var status = await flow.Executor.StatusAsync(job, 2, default);
        Assert.Equal(TimeSpan.FromMinutes(20), status!.Progress);

        // Forty minutes of work were left: it ends in about forty minutes, not sixty.
        var resumedAt = flow.Twin.Now;
        await flow.RunUntilAsync(() => flow.StateOf(job) == JobState.Succeeded, maxTicks: 100);
        var done = await flow.GetAsync(job);
        Assert.Equal(2, done.Attempt);
        Assert.InRange(flow.Twin.Now - resumedAt, TimeSpan.FromMinutes(39), TimeSpan.FromMinutes(42));
    }

    [Fact]
    public async Task A_service_spread_by_node_keeps_running_on_three_nodes_restarts_after_an_xid_79_and_stops_on_cancel()
    {
        var flow = await Flow.StartAsync();
        var result = await flow.Controller.SubmitAsync(WorkloadSpecReader.ParseService($$"""
            apiVersion: neocloud.dev/v1
            kind: Service
            metadata: { name: chat, tenant: acme }
            spec:
              queue: training
              replicas: { min: 3, max: 6 }
              resources: { gpus: 1, gpuTypes: [h200], cpu: 8, memory: 64 }
              spreadAcross: node
              priorityClass: normal
              run: { image: registry.example/chat:1 }
            """), "person:alice", default);
        Assert.True(result.Created);
        var service = result.Job.Id;
        Assert.Equal(WorkloadKind.Service, result.Job.Kind);

        await flow.RunUntilAsync(() => flow.StateOf(service) == JobState.Running, maxTicks: 5);
        var running = await flow.GetAsync(service);
        Assert.Equal(3, running.Placement.Count);
        Assert.Equal(3, running.Placement.Select(r => r.Node).Distinct().Count());
        Assert.All(running.Placement, r => Assert.True(flow.IsAllocatedOnTwin(r.Node, Assert.Single(r.Gpus))));

        // Five virtual hours (30 s ticks), far past the one-hour default runtime: a service has no end of its own.
        await flow.TicksAsync(600);
        Assert.Equal((JobState.Running, 1), (flow.StateOf(service), flow.AttemptOf(service)));
        Assert.Equal(3000, flow.Placer.Snapshot.GpuAllocatedMilli);

        var hit = running.Placement[1];
        var broken = GpuId.Of(hit.Node, hit.Gpus[0]);
        flow.Twin.Inject(new FaultRequest(FaultKind.Xid, broken.Value, Xid: 79));
        flow.Twin.Tick();
        await flow.Executor.FlushAsync(default);
        var interrupted = await flow.GetAsync(service);
        Assert.Equal((JobState.Pending, 2, 1), (interrupted.State, interrupted.Attempt, interrupted.RetriesUsed));
        Assert.Equal(0, flow.Placer.Snapshot.GpuAllocatedMilli);

        Assert.True(await flow.Controller.HoldGpuAsync(broken, hold: true, default));
        await flow.RunUntilAsync(() => flow.StateOf(service) == JobState.Running, maxTicks: 5);
        var restarted = await flow.GetAsync(service);
        Assert.Equal(2, restarted.Attempt);
        Assert.Equal(3, restarted.Placement.Select(r => r.Node).Distinct().Count());
        Assert.DoesNotContain(restarted.Placement, r => r.Node == broken.Node && r.Gpus.Contains(broken.Index));
        await flow.TicksAsync(60);
        Assert.Equal(JobState.Running, flow.StateOf(service));

        var cancelled = await flow.Controller.CancelAsync(service, "person:alice", "retired", default);
        await flow.TicksAsync(2);

        Assert.Equal(JobState.Cancelled, cancelled.State);
        Assert.Equal(JobState.Cancelled, flow.StateOf(service));
        Assert.Equal(1000, flow.Placer.Snapshot.GpuAllocatedMilli); // only the held GPU
        Assert.All(restarted.Placement, r => Assert.False(flow.IsAllocatedOnTwin(r.Node, r.Gpus[0])));
        Assert.Equal(0, flow.Controller.Active);
        var events = await flow.Store.ListEventsAsync(service, default);
        Assert.Equal(
            [JobState.Pending, JobState.Admitted, JobState.Placed, JobState.Running, JobState.InfraFailed,
             JobState.Pending, JobState.Admitted, JobState.Placed, JobState.Running, JobState.Cancelled],
            events.Select(e => e.To));
        Assert.Contains(broken.Value, events.Single(e => e.To == JobState.InfraFailed).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_service_needing_more_distinct_nodes_than_there_are_stays_pending_and_takes_nothing()
    {
        var flow = await Flow.StartAsync();
        var result = await flow.Controller.SubmitAsync(WorkloadSpecReader.ParseService($$"""
            apiVersion: neocloud.dev/v1
            kind: Service
            metadata: { name: wide, tenant: acme }
            spec:
              queue: training
              replicas: { min: {{H200Nodes.Length + 1}}, max: {{H200Nodes.Length + 1}} }
              resources: { gpus: 1, gpuTypes: [h200], cpu: 8, memory: 64 }
              spreadAcross: node
            """), "person:alice", default);

        await flow.TicksAsync(5);

        Assert.Equal(JobState.Pending, flow.StateOf(result.Job.Id));
        Assert.Equal(0, flow.Placer.Snapshot.GpuAllocatedMilli);
    }

    [Fact]
    public async Task A_service_with_no_minimum_replicas_is_rejected_before_anything_is_stored()
    {
        var flow = await Flow.StartAsync();

        var error = await Assert.ThrowsAsync<WorkloadRejectedException>(() => flow.Controller.SubmitAsync(WorkloadSpecReader.ParseService("""
            apiVersion: neocloud.dev/v1
            kind: Service
            metadata: { name: idle, tenant: acme }
            spec:
              queue: training
              replicas: { min: 0, max: 2 }
              resources: { gpus: 1, gpuTypes: [h200], cpu: 8, memory: 64 }
            """), "person:alice", default));

        Assert.Contains("replicas.min is 0", error.Message, StringComparison.Ordinal);
        Assert.Empty((await flow.Store.ListAsync(new JobQuery { Limit = 100 }, default)).Items);
    }

    [Fact]
    public async Task A_job_whose_retry_budget_is_spent_fails_with_retry_budget_exhausted()
    {
        var flow = await Flow.StartAsync();
        var job = await flow.SubmitAsync(Manifest("train", gpus: 1, work: "02:00:00", retryBudget: 1));

        for (int attempt = 1; attempt <= 2; attempt++)
        {
            await flow.RunUntilAsync(() => flow.StateOf(job) == JobState.Running, maxTicks: 5);
            var running = await flow.GetAsync(job);
            Assert.Equal(attempt, running.Attempt);
            var gpu = GpuId.Of(running.Placement[0].Node, running.Placement[0].Gpus[0]);
            flow.Twin.Inject(new FaultRequest(FaultKind.Xid, gpu.Value, Xid: 79));
            flow.Twin.Tick();
            await flow.Executor.FlushAsync(default);
            await flow.Controller.HoldGpuAsync(gpu, hold: true, default);
        }

        var failed = await flow.GetAsync(job);
        Assert.Equal(JobState.Failed, failed.State);
        Assert.Equal(JobMachine.RetryBudgetExhausted, failed.LastReason);
        Assert.Equal(1, failed.RetriesUsed);
        var events = await flow.Store.ListEventsAsync(job, default);
        Assert.Equal(2, events.Count(e => e.To == JobState.InfraFailed));
        Assert.Equal(JobState.Failed, events[^1].To);
        Assert.Equal(0, flow.Controller.Active);
        await flow.TicksAsync(3);
        Assert.Equal(JobState.Failed, flow.StateOf(job));
        Assert.Equal(2000, flow.Placer.Snapshot.GpuAllocatedMilli); // only the two held GPUs
    }

    [Fact]
    public async Task A_higher_priority_job_preempts_a_lower_one_of_its_queue_once_its_minimum_runtime_has_passed_and_the_victim_restarts_later()
    {
        var flow = await Flow.StartAsync();
        var low = new List<JobId>();
        for (int i = 0; i < H200Nodes.Length; i++)
        {
            low.Add(await flow.SubmitAsync(Manifest($"low-{i}", gpus: GpusPerNode, work: "03:00:00", checkpoint: "5m")));
        }

        await flow.RunUntilAsync(() => low.All(j => flow.StateOf(j) == JobState.Running), maxTicks: 5);
        await flow.TicksAsync(10); // five minutes in: under the normal class's ten-minute guarantee
        var high = await flow.SubmitAsync(Manifest("urgent", gpus: GpusPerNode, work: "00:20:00", priority: "high"));
        await flow.TicksAsync(6);

        Assert.Equal(JobState.Pending, flow.StateOf(high));
        Assert.All(low, j => Assert.Equal(JobState.Running, flow.StateOf(j)));

        await flow.RunUntilAsync(() => flow.StateOf(high) == JobState.Running, maxTicks: 20);
        var victims = low.Where(j => flow.AttemptOf(j) == 2).ToList();
        var victim = Assert.Single(victims);
        var events = await flow.Store.ListEventsAsync(victim, default);
        var preempted = Assert.Single(events, e => e.To == JobState.Preempted);
        Assert.Contains(high.Value, preempted.Reason, StringComparison.Ordinal);
        Assert.Equal(JobController.SystemActor, preempted.Actor);
        Assert.True(preempted.At - (await flow.GetAsync(low[0])).StartedAt!.Value >= TimeSpan.FromMinutes(10));
        Assert.Equal(JobState.Pending, flow.StateOf(victim));
        Assert.NotNull((await flow.GetAsync(victim)).CheckpointProgress);

        await flow.RunUntilAsync(() => flow.StateOf(high) == JobState.Succeeded, maxTicks: 45);
        await flow.RunUntilAsync(() => flow.StateOf(victim) == JobState.Running, maxTicks: 5);
        Assert.Equal(2, (await flow.GetAsync(victim)).Attempt);
        Assert.Equal((long)H200Nodes.Length * GpusPerNode * 1000, flow.Placer.Snapshot.GpuAllocatedMilli);
    }

    [Fact]
    public async Task A_preempted_job_keeps_the_checkpoint_it_was_signalled_to_write_and_its_next_attempt_resumes_from_it()
    {
        var flow = await Flow.StartAsync();
        var low = new List<JobId>();
        for (int i = 0; i < H200Nodes.Length; i++)
        {
            // No periodic checkpoint before the preemption: only the one signalled at preemption can save the work.
            low.Add(await flow.SubmitAsync(Manifest($"low-{i}", gpus: GpusPerNode, work: "03:00:00", checkpoint: "2h", priority: "low")));
        }

        await flow.RunUntilAsync(() => low.All(j => flow.StateOf(j) == JobState.Running), maxTicks: 5);
        await flow.TicksAsync(40);
        var high = await flow.SubmitAsync(Manifest("urgent", gpus: GpusPerNode, work: "00:10:00", priority: "high"));
        await flow.RunUntilAsync(() => flow.StateOf(high) == JobState.Running, maxTicks: 5);

        var victim = await flow.GetAsync(Assert.Single(low, j => flow.AttemptOf(j) == 2));
        Assert.InRange(victim.CheckpointProgress ?? TimeSpan.Zero, TimeSpan.FromMinutes(19), TimeSpan.FromMinutes(22));

        await flow.RunUntilAsync(() => flow.StateOf(victim.Id) == JobState.Placed || flow.StateOf(victim.Id) == JobState.Running, maxTicks: 30);
        var status = await flow.Executor.StatusAsync(victim.Id, 2, default);
        Assert.True(status!.Progress >= victim.CheckpointProgress, $"attempt 2 resumed from {status.Progress}, not from {victim.CheckpointProgress}");
    }

    [Fact]
    public async Task A_gang_that_requires_one_leaf_lands_in_one_leaf()
    {
        var flow = await Flow.StartAsync();

        // As many replicas as the leaf with the most H200 nodes has: only that leaf can take the gang whole.
        var leaf = H200Nodes.GroupBy(n => n.LeafGroup, StringComparer.Ordinal).OrderByDescending(g => g.Count()).First();
        Assert.True(H200Nodes.Length > leaf.Count(), "the small fleet should spread its H200 nodes over several leaves");
        var job = await flow.SubmitAsync(Manifest("gang", gpus: GpusPerNode, work: "01:00:00", replicas: leaf.Count(), topology: "{ leaf: required }"));

        await flow.RunUntilAsync(() => flow.StateOf(job) == JobState.Running, maxTicks: 5);
        var placement = (await flow.GetAsync(job)).Placement;

        Assert.Equal(leaf.Count(), placement.Count);
        Assert.Equal(leaf.Count(), placement.Select(r => r.Node).Distinct().Count());
        Assert.All(placement, r => Assert.Equal(leaf.Key, NodeOf(r.Node).LeafGroup));
    }

    [Fact]
    public async Task A_gang_that_requires_one_leaf_waits_rather_than_spanning_two()
    {
        var flow = await Flow.StartAsync();
        int biggestLeaf = H200Nodes.GroupBy(n => n.LeafGroup, StringComparer.Ordinal).Max(g => g.Count());
        var job = await flow.SubmitAsync(Manifest("gang", gpus: GpusPerNode, work: "01:00:00", replicas: biggestLeaf + 1, topology: "{ leaf: required }"));

        await flow.TicksAsync(4);

        Assert.Equal(JobState.Pending, flow.StateOf(job));
        Assert.Equal(0, flow.Placer.Snapshot.GpuAllocatedMilli);
    }

    [Fact]
    public async Task An_unschedulable_node_and_a_held_gpu_are_never_used()
    {
        var flow = await Flow.StartAsync();
        var cordoned = H200Nodes[0].Id;
        var held = GpuId.Of(H200Nodes[1].Id, 3);
        await flow.Controller.SetSchedulableAsync(cordoned, false, default);
        Assert.True(await flow.Controller.HoldGpuAsync(held, hold: true, default));

        int usable = ((H200Nodes.Length - 1) * GpusPerNode) - 1;
        var jobs = new List<JobId>();
        for (int i = 0; i <= usable; i++)
        {
            jobs.Add(await flow.SubmitAsync(Manifest($"one-{i}", gpus: 1, work: "02:00:00")));
        }

        await flow.TicksAsync(4);

        var placed = new List<ReplicaPlacement>();
        foreach (var id in jobs)
        {
            placed.AddRange((await flow.GetAsync(id)).Placement);
        }

        Assert.Equal(usable, jobs.Count(j => flow.StateOf(j) == JobState.Running));
        Assert.Single(jobs, j => flow.StateOf(j) == JobState.Pending);
        Assert.DoesNotContain(placed, r => r.Node == cordoned);
        Assert.DoesNotContain(placed, r => r.Node == held.Node && r.Gpus.Contains(held.Index));
        Assert.Equal(usable, placed.Select(r => (r.Node, r.Gpus[0])).Distinct().Count());
        for (int g = 0; g < GpusPerNode; g++)
        {
            Assert.False(flow.IsAllocatedOnTwin(cordoned, g));
        }

        Assert.False(flow.IsAllocatedOnTwin(held.Node, held.Index));
    }

    [Fact]
    public async Task A_pending_job_behind_a_full_cluster_gets_an_estimated_start_when_the_running_work_is_expected_to_end()
    {
        var flow = await Flow.StartAsync();

        // Every GPU of every model taken for two hours (the estimate counts the cluster's GPUs, not one model's).
        var fillers = new List<JobId>();
        foreach (var sku in TestFleets.Small.Nodes.GroupBy(n => n.Sku, StringComparer.Ordinal))
        {
            fillers.Add(await flow.SubmitAsync(Manifest(
                $"fill-{fillers.Count}", gpus: sku.First().GpuCount, work: "02:00:00", replicas: sku.Count(), estimate: "2h", gpuType: sku.Key)));
        }

        await flow.RunUntilAsync(() => fillers.All(f => flow.StateOf(f) == JobState.Running), maxTicks: 5);
        Assert.Equal(flow.Placer.Snapshot.GpuCapacityMilli, flow.Placer.Snapshot.GpuAllocatedMilli);
        var startedAt = (await flow.GetAsync(fillers[0])).StartedAt!.Value;

        var waiting = await flow.SubmitAsync(Manifest("waiting", gpus: GpusPerNode, work: "00:30:00", estimate: "30m"));
        await flow.TicksAsync(2);

        Assert.Equal(JobState.Pending, flow.StateOf(waiting));
        var estimate = flow.Controller.EstimatedStart(waiting);
        Assert.NotNull(estimate);
        Assert.InRange(estimate.Value, startedAt + TimeSpan.FromHours(2) - TimeSpan.FromMinutes(2), startedAt + TimeSpan.FromHours(2) + TimeSpan.FromMinutes(2));
        Assert.Null(flow.Controller.EstimatedStart(fillers[0]));
    }

    [Fact]
    public async Task A_new_controller_recovers_pending_and_running_jobs_from_the_store_without_placing_twice()
    {
        var flow = await Flow.StartAsync();
        var running = await flow.SubmitAsync(Manifest("running", gpus: GpusPerNode, work: "01:00:00", replicas: H200Nodes.Length, estimate: "1h"));
        await flow.RunUntilAsync(() => flow.StateOf(running) == JobState.Running, maxTicks: 5);
        var pending = await flow.SubmitAsync(Manifest("pending", gpus: GpusPerNode, work: "00:20:00"));
        await flow.TicksAsync(4);
        Assert.Equal(JobState.Pending, flow.StateOf(pending));
        var before = (await flow.GetAsync(running)).Placement;

        // The control plane restarts: a new scheduler, placer and controller over the same store; the twin and its work go on.
        var restarted = await flow.RestartControlPlaneAsync();
        await restarted.Controller.RecoverAsync(default);

        Assert.Equal(2, restarted.Controller.Active);
        Assert.Equal((long)H200Nodes.Length * GpusPerNode * 1000, restarted.Placer.Snapshot.GpuAllocatedMilli);
        Assert.NotNull(restarted.Controller.EstimatedStart(pending));
        await restarted.TicksAsync(10);

        var after = await restarted.GetAsync(running);
        Assert.Equal((JobState.Running, 1), (after.State, after.Attempt));
        Assert.Equal(before.Select(r => (r.Node, string.Join(',', r.Gpus))), after.Placement.Select(r => (r.Node, string.Join(',', r.Gpus))));
        Assert.Equal(JobState.Pending, restarted.StateOf(pending));
        Assert.Equal(1, restarted.Executor.Running);

        await restarted.RunUntilAsync(() => restarted.StateOf(running) == JobState.Succeeded, maxTicks: 120);
        await restarted.RunUntilAsync(() => restarted.StateOf(pending) == JobState.Running, maxTicks: 5);
        Assert.Equal(1, (await restarted.GetAsync(pending)).Attempt);
        Assert.Equal(1, (await restarted.GetAsync(running)).Attempt);
    }

    [Fact]
    public async Task Recovery_cancels_a_pending_job_its_queue_no_longer_accepts_and_still_recovers_the_others()
    {
        var flow = await Flow.StartAsync();
        await flow.Controller.ApplyAsync(QueueManifestReader.Parse(Batch(classes: null)), default);
        var stranded = await flow.SubmitAsync(Manifest("stranded", gpus: 1, work: "00:10:00", queue: "batch", priority: "normal"));
        var other = await flow.SubmitAsync(Manifest("other", gpus: 1, work: "00:10:00"));

        // The queue is redeclared for high-priority work only, and the control plane restarts before any cycle ran.
        var restarted = await flow.RestartControlPlaneAsync();
        await restarted.Controller.ApplyAsync(QueueManifestReader.Parse(Batch(classes: "[high]")), default);
        await restarted.Controller.RecoverAsync(default);

        var cancelled = await restarted.GetAsync(stranded);
        Assert.Equal(JobState.Cancelled, cancelled.State);
        Assert.Contains("'normal' is not allowed in queue batch", cancelled.LastReason, StringComparison.Ordinal);
        Assert.Equal(1, restarted.Controller.Active);
        await restarted.RunUntilAsync(() => restarted.StateOf(other) == JobState.Succeeded, maxTicks: 30);

        static string Batch(string? classes) => $$"""
            apiVersion: neocloud.dev/v1
            kind: Queue
            metadata: { name: batch }
            spec:
              tenant: acme
              {{(classes is null ? "" : $"priorityClasses: {classes}")}}
              quotas: [{ flavour: h200-141gb, nominal: 8 }]
            """;
    }

    [Fact]
    public async Task Recovery_records_an_infra_failure_for_a_running_attempt_the_executor_no_longer_knows_and_restarts_it()
    {
        var flow = await Flow.StartAsync();
        var job = await flow.SubmitAsync(Manifest("train", gpus: 2, work: "01:00:00"));
        await flow.RunUntilAsync(() => flow.StateOf(job) == JobState.Running, maxTicks: 5);
        var gone = flow.Store;

        // A whole new twin and executor: the old attempt is gone with the old data plane.
        var fresh = await Flow.StartAsync(gone);
        await fresh.Controller.RecoverAsync(default);

        var recovered = await fresh.GetAsync(job);
        Assert.Equal((JobState.Pending, 2), (recovered.State, recovered.Attempt));
        var events = await fresh.Store.ListEventsAsync(job, default);
        Assert.Contains(events, e => e.To == JobState.InfraFailed && e.Reason.Contains("restarted", StringComparison.Ordinal));
        await fresh.RunUntilAsync(() => fresh.StateOf(job) == JobState.Running, maxTicks: 5);
    }

    [Property(MaxTest = 12)]
    public async Task Whatever_is_submitted_cancelled_and_broken_no_gpu_is_given_twice_and_placer_twin_and_store_agree(int seed)
    {
        var random = new Random(seed);
        var flow = await Flow.StartAsync();
        var jobs = new List<JobId>();
        var held = new HashSet<GpuId>();
        string[] priorities = ["low", "normal", "high"];
        for (int tick = 0; tick < 60; tick++)
        {
            if (random.NextDouble() < 0.6)
            {
                int gpus = new[] { 1, 2, 4, 8 }[random.Next(4)];
                jobs.Add(await flow.SubmitAsync(Manifest(
                    $"j{jobs.Count}", gpus, TimeSpan.FromMinutes(random.Next(2, 60)).ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture),
                    replicas: gpus == 8 ? random.Next(1, 3) : 1, checkpoint: "5m", priority: priorities[random.Next(3)], retryBudget: random.Next(0, 3))));
            }

            var live = jobs.Where(j => !JobMachine.IsFinal(flow.StateOf(j))).ToList();
            if (live.Count > 0 && random.NextDouble() < 0.1)
            {
                await flow.Controller.CancelAsync(live[random.Next(live.Count)], "person:chaos", null, default);
            }

            var running = jobs.Where(j => flow.StateOf(j) == JobState.Running).ToList();
            if (running.Count > 0 && random.NextDouble() < 0.1)
            {
                var replica = (await flow.GetAsync(running[random.Next(running.Count)])).Placement[0];
                var gpu = GpuId.Of(replica.Node, replica.Gpus[random.Next(replica.Gpus.Count)]);
                flow.Twin.Inject(new FaultRequest(FaultKind.Xid, gpu.Value, Xid: 79));
                flow.Twin.Tick();
                await flow.Executor.FlushAsync(default);
                if (await flow.Controller.HoldGpuAsync(gpu, hold: true, default))
                {
                    held.Add(gpu);
                }
            }

            await flow.TicksAsync(1);

            var placed = new List<(NodeId Node, int Gpu)>();
            foreach (var id in jobs)
            {
                var job = await flow.GetAsync(id);
                Assert.Equal(JobMachine.HoldsCapacity(job.State), job.Placement.Count > 0);
                placed.AddRange(job.Placement.SelectMany(r => r.Gpus.Select(g => (r.Node, g))));
            }

            Assert.Equal(placed.Count, placed.Distinct().Count());
            Assert.DoesNotContain(placed, p => held.Contains(GpuId.Of(p.Node, p.Gpu)));
            Assert.Equal((placed.Count + held.Count) * 1000L, flow.Placer.Snapshot.GpuAllocatedMilli);
            var onTwin = H200Nodes.SelectMany(n => Enumerable.Range(0, n.GpuCount).Where(g => flow.IsAllocatedOnTwin(n.Id, g)).Select(g => (n.Id, g))).ToHashSet();
            Assert.True(onTwin.SetEquals(placed), $"tick {tick}: the twin runs work on {onTwin.Count} GPUs, the store places {placed.Count}");
        }

        foreach (var id in jobs)
        {
            var job = await flow.GetAsync(id);
            var events = await flow.Store.ListEventsAsync(id, default);
            Assert.Equal(job.State, events[^1].To);
            for (int i = 1; i < events.Count; i++)
            {
                Assert.Equal(events[i - 1].To, events[i].From);
            }
        }

        Assert.Contains(jobs, j => flow.StateOf(j) is JobState.Running or JobState.Succeeded);
    }

    private static Node NodeOf(NodeId id) => TestFleets.Small.Nodes.Single(n => n.Id == id);

    private static string Manifest(
        string name, int gpus, string work, int replicas = 1, string? checkpoint = null, string? key = null, string queue = "training",
        string priority = "normal", int retryBudget = 3, string? topology = null, string? estimate = null, string gpuType = "h200")
    {
        var text = new System.Text.StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $$"""
            apiVersion: neocloud.dev/v1
            kind: Job
            metadata: { name: {{name}}, tenant: acme }
            spec:
              queue: {{queue}}
              replicas: {{replicas}}
              resources: { gpus: {{gpus}}, gpuTypes: [{{gpuType}}], cpu: 8, memory: 64 }
              priorityClass: {{priority}}
              retryBudget: {{retryBudget}}
              run: { image: registry.example/train:1, env: { "{{JobController.WorkHintKey}}": "{{work}}" } }

            """);
        if (checkpoint is not null)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  checkpointInterval: {checkpoint}");
        }

        if (key is not null)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  idempotencyKey: {key}");
        }

        if (topology is not null)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  topology: {topology}");
        }

        if (estimate is not null)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  runtimeEstimate: {estimate}");
        }

        return text.ToString();
    }

    /// <summary>One control plane (store, placer, scheduler, controller) over one twin and its executor.</summary>
    private sealed class Flow
    {
        private Flow(FleetTwin twin, TwinExecutor executor, InMemoryWorkloadStore store, TopologyGangPlacer placer, JobController controller)
        {
            Twin = twin;
            Executor = executor;
            Store = store;
            Placer = placer;
            Controller = controller;
        }

        public FleetTwin Twin { get; }
        public TwinExecutor Executor { get; }
        public InMemoryWorkloadStore Store { get; }
        public TopologyGangPlacer Placer { get; }
        public JobController Controller { get; }

        public static Task<Flow> StartAsync(InMemoryWorkloadStore? store = null)
        {
            var twin = new FleetTwin(TestFleets.Small, 7, TestFleets.Quiet);
            return StartAsync(twin, new TwinExecutor(twin), store ?? new InMemoryWorkloadStore());
        }

        /// <summary>A new control plane over this one's store, twin and executor, as after a restart of the control plane.</summary>
        public Task<Flow> RestartControlPlaneAsync() => StartAsync(Twin, Executor, Store);

        private static async Task<Flow> StartAsync(FleetTwin twin, TwinExecutor executor, InMemoryWorkloadStore store)
        {
            var placer = new TopologyGangPlacer(new ClusterTopology(FleetPlacementView.Nodes(TestFleets.Small)));
            var scheduler = new ClusterScheduler(placer, new SchedulerOptions());
            var controller = new JobController(store, executor, scheduler, placer, twin.Clock);
            await controller.ApplyAsync(QueueManifestReader.Parse(Queues()), default);
            return new Flow(twin, executor, store, placer, controller);
        }

        public async Task<JobId> SubmitAsync(string manifest)
        {
            var result = await Controller.SubmitAsync(WorkloadSpecReader.ParseJob(manifest), "person:alice", default);
            Assert.True(result.Created);
            return result.Job.Id;
        }

        public Task<Job> GetAsync(JobId id) => Store.GetAsync(id, default).ContinueWith(t => t.Result ?? throw new KeyNotFoundException(id.Value), TaskScheduler.Default);

        // The in-memory store answers synchronously, so the polling predicates of RunUntilAsync can read it directly.
        public JobState StateOf(JobId id) => GetAsync(id).GetAwaiter().GetResult().State;

        public int AttemptOf(JobId id) => GetAsync(id).GetAwaiter().GetResult().Attempt;

        public bool IsAllocatedOnTwin(NodeId node, int gpu) => Twin.Workload.IsAllocated(Twin.Workload.GpuIndex(GpuId.Of(node, gpu)));

        /// <summary>One cycle, one twin tick, the executor's reports delivered; <paramref name="count"/> times.</summary>
        public async Task TicksAsync(int count)
        {
            for (int i = 0; i < count; i++)
            {
                await Controller.RunCycleAsync(default);
                Twin.Tick();
                await Executor.FlushAsync(default);
            }
        }

        public async Task RunUntilAsync(Func<bool> done, int maxTicks)
        {
            for (int i = 0; i < maxTicks && !done(); i++)
            {
                await TicksAsync(1);
            }

            Assert.True(done(), $"not reached within {maxTicks} ticks");
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
            foreach (var group in TestFleets.Small.Nodes.GroupBy(n => n.Sku, StringComparer.Ordinal))
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"    - {{ flavour: {group.Key}, nominal: {group.Sum(n => n.GpuCount)} }}");
            }

            return text.ToString();
        }
    }
}
