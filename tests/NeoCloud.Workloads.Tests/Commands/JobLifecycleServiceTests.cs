using NeoCloud.Kernel.Audit;
using NeoCloud.Kernel.Ids;
using NeoCloud.Server.Tests.Fakes;
using NeoCloud.Workloads.Commands;
using NeoCloud.Workloads.Jobs;
using NeoCloud.Workloads.Specs;
using NeoCloud.Workloads.Store;
using NeoCloud.Workloads.Tests.Jobs;

namespace NeoCloud.Workloads.Tests.Commands;

public sealed class JobLifecycleServiceTests
{
    private static readonly Actor Ana = Actor.Person("ana");
    private static readonly Actor Scheduler = Actor.Agent("scheduler");

    private readonly InMemoryWorkloadStore _store = new();
    private readonly SteppingClock _clock = new();
    private readonly JobLifecycleService _service;

    public JobLifecycleServiceTests() => _service = new JobLifecycleService(_store, _clock);

    [Fact]
    public async Task A_manifest_stream_is_submitted_document_by_document_with_time_ordered_ids()
    {
        string manifest = Manifest("a", "k-a") + "---\n" + Manifest("b", "k-b");

        var results = await _service.SubmitManifestAsync(manifest, Ana, default);

        Assert.Equal(["a", "b"], results.Select(r => r.Job.Name));
        Assert.All(results, r => Assert.True(r.Created));
        Assert.All(results, r => Assert.StartsWith("job-", r.Job.Id.Value, StringComparison.Ordinal));
        Assert.True(string.CompareOrdinal(results[0].Job.Id.Value, results[1].Job.Id.Value) < 0);
        Assert.Equal("person:ana", (await _store.ListEventsAsync(results[0].Job.Id, default))[0].Actor);
    }

    [Fact]
    public async Task An_invalid_document_stops_the_whole_stream_before_anything_is_submitted()
    {
        string manifest = Manifest("a", "k-a") + "---\n" + Manifest("b", "k-b").Replace("cpu: 4", "cpu: -4", StringComparison.Ordinal);

        await Assert.ThrowsAsync<WorkloadSpecException>(() => _service.SubmitManifestAsync(manifest, Ana, default));

        Assert.Empty((await _store.ListAsync(new JobQuery(), default)).Items);
    }

    [Fact]
    public async Task Resubmitting_a_stream_after_a_retry_returns_the_jobs_already_made()
    {
        var first = await _service.SubmitManifestAsync(Manifest("a", "k-a"), Ana, default);

        var again = await _service.SubmitManifestAsync(Manifest("a", "k-a"), Ana, default);

        Assert.Equal(first[0].Job.Id, again[0].Job.Id);
        Assert.False(again[0].Created);
    }

    [Fact]
    public async Task Cancelling_twice_is_harmless_and_a_finished_job_cannot_be_cancelled()
    {
        var a = (await _service.SubmitManifestAsync(Manifest("a", null), Ana, default))[0].Job;
        var b = await RunAsync((await _service.SubmitManifestAsync(Manifest("b", null), Ana, default))[0].Job.Id);
        await _service.TransitionAsync(b.Id, JobState.Succeeded, Actor.Automation("twin"), "exit 0", null, null, default);

        var cancelled = await _service.CancelAsync(a.Id, Ana, "not needed", default);
        var again = await _service.CancelAsync(a.Id, Ana, "not needed", default);

        Assert.Equal((JobState.Cancelled, 2L), (cancelled.State, cancelled.Version));
        Assert.Equal(cancelled.Version, again.Version);
        await Assert.ThrowsAsync<IllegalJobTransitionException>(() => _service.CancelAsync(b.Id, Ana, "too late", default));
        await Assert.ThrowsAsync<ArgumentException>(() => _service.CancelAsync(a.Id, Ana, " ", default));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => _service.CancelAsync(new JobId("job-nope"), Ana, "x", default));
    }

    [Fact]
    public async Task An_interrupted_job_restarts_while_its_budget_lasts_and_then_fails()
    {
        var id = (await _service.SubmitManifestAsync(Manifest("a", null, retryBudget: 1), Ana, default))[0].Job.Id;

        await RunAsync(id);
        var restarted = await _service.InterruptAsync(id, JobState.Preempted, Scheduler, "for job-x", "victim of job-x", default);
        await RunAsync(id);
        var failed = await _service.InterruptAsync(id, JobState.InfraFailed, Actor.Agent("doctor"), "xid 79", null, default);

        Assert.Equal((JobState.Pending, 2), (restarted.State, restarted.Attempt));
        Assert.Equal((JobState.Failed, JobMachine.RetryBudgetExhausted), (failed.State, failed.LastReason));
        Assert.Equal(
            [JobState.Pending, JobState.Admitted, JobState.Placed, JobState.Running, JobState.Preempted, JobState.Pending,
             JobState.Admitted, JobState.Placed, JobState.Running, JobState.InfraFailed, JobState.Failed],
            (await _store.ListEventsAsync(id, default)).Select(e => e.To));
        await Assert.ThrowsAsync<ArgumentException>(() => _service.InterruptAsync(id, JobState.Cancelled, Scheduler, "x", null, default));
    }

    [Fact]
    public async Task Resuming_finishes_an_interruption_a_crash_left_half_done()
    {
        var id = (await _service.SubmitManifestAsync(Manifest("a", null), Ana, default))[0].Job.Id;
        await RunAsync(id);

        // The process died after recording the preemption and before sending the job back to pending.
        await _service.TransitionAsync(id, JobState.Preempted, Scheduler, "for job-x", null, null, default);
        var resumed = await _service.ResumeInterruptedAsync(id, Scheduler, default);
        var untouched = await _service.ResumeInterruptedAsync(id, Scheduler, default);

        Assert.Equal((JobState.Pending, 2), (resumed.State, resumed.Attempt));
        Assert.Equal(resumed.Version, untouched.Version);
    }

    [Fact]
    public async Task Times_come_from_the_clock()
    {
        var job = (await _service.SubmitManifestAsync(Manifest("a", null), Ana, default))[0].Job;
        var running = await RunAsync(job.Id);

        Assert.Equal(SteppingClock.Start, job.SubmittedAt);
        Assert.True(running.StartedAt > job.SubmittedAt);
    }

    private async Task<Job> RunAsync(JobId id)
    {
        await _service.TransitionAsync(id, JobState.Admitted, Scheduler, "quota", null, null, default);
        await _service.TransitionAsync(id, JobState.Placed, Scheduler, "fits", TestJobs.TwoNodes, null, default);
        return await _service.TransitionAsync(id, JobState.Running, Actor.Automation("twin"), "started", null, null, default);
    }

    private static string Manifest(string name, string? key, int retryBudget = 3) => $"""
        apiVersion: neocloud.dev/v1
        kind: Job
        metadata: {"{"} name: {name}, tenant: acme {"}"}
        spec:
          queue: q
          retryBudget: {retryBudget}
          resources: {"{"} gpus: 8, cpu: 4, memory: 16 {"}"}
          {(key is null ? "" : "idempotencyKey: " + key)}

        """;

    /// <summary>A clock that moves one second each time it is read, so every recorded instant is distinct and ordered.</summary>
    private sealed class SteppingClock : TimeProvider
    {
        public static readonly DateTimeOffset Start = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

        private long _reads;

        public override DateTimeOffset GetUtcNow() => Start.AddSeconds(Interlocked.Increment(ref _reads) - 1);
    }
}
