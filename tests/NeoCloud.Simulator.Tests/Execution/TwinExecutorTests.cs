using NeoCloud.Kernel.Ids;
using NeoCloud.Simulator.Execution;
using NeoCloud.Simulator.Faults;
using NeoCloud.Simulator.Twin;
using NeoCloud.Workloads.Execution;

namespace NeoCloud.Simulator.Tests.Execution;

public sealed class TwinExecutorTests
{
    private static readonly NodeId NodeA = new("euw1-dc1-r01-n01");
    private static readonly NodeId NodeB = new("euw1-dc1-r01-n02");

    [Fact]
    public async Task A_job_runs_its_work_in_virtual_time_loads_its_gpus_checkpoints_and_succeeds()
    {
        var (twin, executor, reports) = Start();
        await executor.StartAsync(Request("job-1", [new ReplicaPlacement(NodeA, [0, 1], 1000)], work: TimeSpan.FromMinutes(30), checkpoint: TimeSpan.FromMinutes(10)), default);
        twin.Step(TimeSpan.FromMinutes(5));
        await executor.FlushAsync(default);

        Assert.Equal("started job-1/1", Assert.Single(reports));
        Assert.True(twin.ReadGpu(GpuId.Of(NodeA, 0)).UtilizationPercent > 80);
        Assert.True(twin.Workload.IsAllocated(twin.Workload.GpuIndex(GpuId.Of(NodeA, 1))));

        twin.Step(TimeSpan.FromMinutes(26));
        await executor.FlushAsync(default);

        Assert.Equal(["started job-1/1", "checkpoint job-1/1 00:10:00", "checkpoint job-1/1 00:20:00", "ended job-1/1 Succeeded completed"], reports);
        Assert.False(twin.Workload.IsAllocated(twin.Workload.GpuIndex(GpuId.Of(NodeA, 0))));
    }

    [Fact]
    public async Task A_restarted_attempt_resumes_from_its_checkpoint_and_needs_only_the_rest_of_the_work()
    {
        var (twin, executor, reports) = Start();
        await executor.StartAsync(Request("job-1", [new ReplicaPlacement(NodeA, [0], 1000)], work: TimeSpan.FromMinutes(30), resumeFrom: TimeSpan.FromMinutes(25), attempt: 2), default);
        twin.Step(TimeSpan.FromMinutes(6));
        await executor.FlushAsync(default);

        Assert.Equal(["started job-1/2", "ended job-1/2 Succeeded completed"], reports);
    }

    [Fact]
    public async Task A_fatal_gpu_fault_under_a_job_ends_it_as_infra_failed_and_frees_its_gpus()
    {
        var (twin, executor, reports) = Start();
        await executor.StartAsync(Request("job-1", [new ReplicaPlacement(NodeA, [0, 1, 2, 3], 1000)], work: TimeSpan.FromHours(2)), default);
        twin.Step(TimeSpan.FromMinutes(2));
        twin.Inject(new FaultRequest(FaultKind.Xid, GpuId.Of(NodeA, 2).Value, Xid: 79));
        twin.Step(TimeSpan.FromMinutes(1));
        await executor.FlushAsync(default);

        Assert.Equal(2, reports.Count);
        Assert.StartsWith("ended job-1/1 InfraFailed Xid", reports[1], StringComparison.Ordinal);
        Assert.Contains(GpuId.Of(NodeA, 2).Value, reports[1], StringComparison.Ordinal);
        Assert.False(twin.Workload.IsAllocated(twin.Workload.GpuIndex(GpuId.Of(NodeA, 0))));
    }

    [Fact]
    public async Task A_fault_on_other_gpus_leaves_the_job_running()
    {
        var (twin, executor, reports) = Start();
        await executor.StartAsync(Request("job-1", [new ReplicaPlacement(NodeA, [0], 1000)], work: TimeSpan.FromHours(2)), default);
        twin.Inject(new FaultRequest(FaultKind.Xid, GpuId.Of(NodeB, 0).Value, Xid: 79));
        twin.Step(TimeSpan.FromMinutes(5));
        await executor.FlushAsync(default);

        Assert.Equal(["started job-1/1"], reports);
        Assert.Equal(ExecutionOutcome.Running, (await executor.StatusAsync(new JobId("job-1"), 1, default))!.Outcome);
    }

    [Fact]
    public async Task A_straggler_gpu_slows_its_whole_gang()
    {
        var (twin, executor, _) = Start();
        await executor.StartAsync(Request("job-1", [new ReplicaPlacement(NodeA, [0, 1], 1000), new ReplicaPlacement(NodeB, [0, 1], 1000)], work: TimeSpan.FromHours(2)), default);
        twin.Inject(new FaultRequest(FaultKind.Straggler, GpuId.Of(NodeB, 1).Value, Duration: TimeSpan.FromHours(1)));
        twin.Step(TimeSpan.FromMinutes(10));

        var status = await executor.StatusAsync(new JobId("job-1"), 1, default);
        Assert.Equal(ExecutionOutcome.Running, status!.Outcome);
        Assert.InRange(status.Progress, TimeSpan.FromMinutes(5.5), TimeSpan.FromMinutes(6.5));
    }

    [Fact]
    public async Task Fail_after_ends_the_attempt_as_a_user_failure_and_stop_reports_stopped()
    {
        var (twin, executor, reports) = Start();
        var command = new Dictionary<string, string> { [TwinExecutor.FailAfterKey] = "00:03:00" };
        await executor.StartAsync(Request("job-1", [new ReplicaPlacement(NodeA, [0], 1000)], work: TimeSpan.FromHours(1), command: command), default);
        await executor.StartAsync(Request("job-2", [new ReplicaPlacement(NodeA, [1], 500)], work: TimeSpan.FromHours(1)), default);
        twin.Step(TimeSpan.FromMinutes(4));
        await executor.StopAsync(new JobId("job-2"), 1, "cancelled by alice", default);
        await executor.FlushAsync(default);

        Assert.Contains("ended job-1/1 Failed the work exited with an error after 00:03:00 (twin.fail-after)", reports);
        Assert.Contains("ended job-2/1 Stopped cancelled by alice", reports);
    }

    [Fact]
    public async Task Two_shares_of_one_gpu_keep_it_allocated_until_both_end_and_starting_twice_changes_nothing()
    {
        var (twin, executor, reports) = Start();
        var request = Request("job-1", [new ReplicaPlacement(NodeA, [0], 500)], work: TimeSpan.FromHours(1));
        await executor.StartAsync(request, default);
        await executor.StartAsync(request, default);
        await executor.StartAsync(Request("job-2", [new ReplicaPlacement(NodeA, [0], 500)], work: TimeSpan.FromHours(1)), default);
        await executor.StopAsync(new JobId("job-1"), 1, "done", default);
        int gpu = twin.Workload.GpuIndex(GpuId.Of(NodeA, 0));

        Assert.True(twin.Workload.IsAllocated(gpu));
        await executor.StopAsync(new JobId("job-2"), 1, "done", default);
        Assert.False(twin.Workload.IsAllocated(gpu));
        await executor.FlushAsync(default);
        Assert.Equal(2, reports.Count(r => r.StartsWith("started", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_placement_on_a_gpu_the_node_does_not_have_is_rejected()
    {
        var (_, executor, _) = Start();
        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            executor.StartAsync(Request("job-1", [new ReplicaPlacement(NodeA, [8], 1000)], work: TimeSpan.FromHours(1)), default));
        Assert.Contains("names GPU 8", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reporter_attached_after_a_control_plane_restart_receives_the_reports_of_the_running_attempts()
    {
        var (twin, executor, first) = Start();
        await executor.StartAsync(Request("job-1", [new ReplicaPlacement(NodeA, [0], 1000)], work: TimeSpan.FromMinutes(5)), default);
        await executor.FlushAsync(default);
        var second = new RecordingReporter();

        executor.Attach(second);
        twin.Step(TimeSpan.FromMinutes(6));
        await executor.FlushAsync(default);

        Assert.Equal(["started job-1/1"], first);
        Assert.Equal(["ended job-1/1 Succeeded completed"], second.Lines);
    }

    private static (FleetTwin Twin, TwinExecutor Executor, List<string> Reports) Start()
    {
        var twin = new FleetTwin(TestFleets.Small, 3, TestFleets.Quiet);
        var executor = new TwinExecutor(twin);
        var reporter = new RecordingReporter();
        executor.Attach(reporter);
        return (twin, executor, reporter.Lines);
    }

    private static ExecutionRequest Request(
        string job, IReadOnlyList<ReplicaPlacement> replicas, TimeSpan work, TimeSpan? checkpoint = null, TimeSpan? resumeFrom = null,
        int attempt = 1, IReadOnlyDictionary<string, string>? command = null) =>
        new(new JobId(job), attempt, new TenantId("acme"), replicas, work, resumeFrom ?? TimeSpan.Zero, checkpoint, null, command ?? new Dictionary<string, string>());

    private sealed class RecordingReporter : IExecutionReporter
    {
        public List<string> Lines { get; } = [];

        public ValueTask StartedAsync(JobId job, int attempt, DateTimeOffset at)
        {
            Lines.Add($"started {job}/{attempt}");
            return ValueTask.CompletedTask;
        }

        public ValueTask CheckpointedAsync(JobId job, int attempt, TimeSpan progress, DateTimeOffset at)
        {
            Lines.Add($"checkpoint {job}/{attempt} {progress}");
            return ValueTask.CompletedTask;
        }

        public ValueTask EndedAsync(JobId job, int attempt, ExecutionOutcome outcome, string detail, DateTimeOffset at)
        {
            Lines.Add($"ended {job}/{attempt} {outcome} {detail}");
            return ValueTask.CompletedTask;
        }
    }
}
