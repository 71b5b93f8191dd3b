using NeoCloud.Kernel.Ids;
using NeoCloud.Kernel.Persistence;
using NeoCloud.Workloads.Execution;
using NeoCloud.Workloads.Jobs;
using NeoCloud.Workloads.Specs;
using NeoCloud.Workloads.Store;

namespace NeoCloud.Storage.Tests.Workloads;

/// <summary>What every <see cref="IWorkloadStore"/> must do; run against SQLite, PostgreSQL and the in-memory fake.</summary>
public abstract class WorkloadStoreCompliance : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    private static readonly IReadOnlyList<ReplicaPlacement> Placement =
        [new(new NodeId("n1"), [0, 1, 2, 3], 1000), new(new NodeId("n2"), [4, 5, 6, 7], 1000)];

    private IWorkloadStore? _store;
    private int _ids;

    protected IWorkloadStore Store => _store ?? throw new InvalidOperationException("The store is not open yet.");

    /// <summary>Opens a fresh, empty store.</summary>
    protected abstract Task<IWorkloadStore> OpenStoreAsync();

    /// <summary>Makes every later append to the event log fail inside its transaction.</summary>
    protected abstract Task BreakEventLogAsync();

    public async Task InitializeAsync() => _store = await OpenStoreAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_submitted_job_reads_back_equal_with_its_submission_event()
    {
        var (job, submitted) = NewJob();

        var result = await Store.SubmitAsync(job, submitted, default);

        Assert.True(result.Created);
        AssertSame(job, result.Job);
        AssertSame(job, (await Store.GetAsync(job.Id, default))!);
        var e = Assert.Single(await Store.ListEventsAsync(job.Id, default));
        Assert.True(e.Sequence > 0);
        Assert.Equal(submitted with { Sequence = e.Sequence }, e);
        Assert.Null(await Store.GetAsync(new JobId("job-missing"), default));
        Assert.Empty(await Store.ListEventsAsync(new JobId("job-missing"), default));
    }

    [Fact]
    public async Task Resubmitting_the_same_spec_with_the_same_key_returns_the_first_job()
    {
        var first = await Store.SubmitAsync(NewJob(key: "k1"), default);

        var again = await Store.SubmitAsync(NewJob(key: "k1"), default);

        Assert.False(again.Created);
        Assert.Equal(first.Job.Id, again.Job.Id);
        Assert.Single((await Store.ListAsync(new JobQuery(), default)).Items);
        Assert.Single(await Store.ListEventsAfterAsync(0, 100, default));
    }

    [Fact]
    public async Task Reusing_a_key_with_another_spec_is_a_conflict_but_another_tenant_may_use_it()
    {
        var first = await Store.SubmitAsync(NewJob(key: "k1"), default);

        var error = await Assert.ThrowsAsync<IdempotencyConflictException>(() => Store.SubmitAsync(NewJob(key: "k1", gpus: 4), default));
        var other = await Store.SubmitAsync(NewJob(key: "k1", tenant: "globex"), default);

        Assert.Equal(first.Job.Id, error.Existing);
        Assert.Contains("k1", error.Message);
        Assert.True(other.Created);
        Assert.Equal(2, (await Store.ListAsync(new JobQuery(), default)).Items.Count);
    }

    [Fact]
    public async Task Concurrent_submissions_of_one_key_make_one_job()
    {
        var submissions = Enumerable.Range(0, 12).Select(_ => NewJob(key: "retry-me")).ToList();

        var results = await Task.WhenAll(submissions.Select(s => Task.Run(() => Store.SubmitAsync(s.Job, s.Event, default))));

        Assert.Single(results, r => r.Created);
        Assert.Single(results.Select(r => r.Job.Id).Distinct());
        Assert.Single((await Store.ListAsync(new JobQuery(), default)).Items);
        Assert.Single(await Store.ListEventsAfterAsync(0, 100, default));
    }

    [Fact]
    public async Task Jobs_list_by_tenant_queue_state_and_name_one_keyset_page_at_a_time()
    {
        var jobs = new List<Job>();
        for (int i = 0; i < 10; i++)
        {
            var submitted = await Store.SubmitAsync(
                NewJob(tenant: i % 2 == 0 ? "acme" : "globex", queue: i < 5 ? "train" : "serve", name: i % 3 == 0 ? "alpha" : "beta"), default);
            jobs.Add(submitted.Job);
        }

        await Store.TransitionAsync(jobs[0].Id, 1, new JobTransition(JobState.Admitted, "quota", "agent:scheduler", T0), default);
        await Store.TransitionAsync(jobs[3].Id, 1, new JobTransition(JobState.Cancelled, "no longer needed", "person:ana", T0), default);

        var all = new List<Job>();
        string? cursor = null;
        int pages = 0;
        do
        {
            var page = await Store.ListAsync(new JobQuery(Limit: 3, Cursor: cursor), default);
            Assert.InRange(page.Items.Count, 1, 3);
            all.AddRange(page.Items);
            cursor = page.NextCursor;
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(4, pages);
        Assert.Equal(jobs.Select(j => j.Id).Order(), all.Select(j => j.Id));
        Assert.Equal(Ids(jobs.Where(j => j.Tenant.Value == "acme")), Ids(await ListAsync(new JobQuery(Tenant: new TenantId("acme")))));
        Assert.Equal(Ids(jobs.Where(j => j.Queue.Value == "serve" && j.Tenant.Value == "globex")),
            Ids(await ListAsync(new JobQuery(Tenant: new TenantId("globex"), Queue: new QueueId("serve")))));
        Assert.Equal(Ids([jobs[0], jobs[3]]), Ids(await ListAsync(new JobQuery(States: [JobState.Admitted, JobState.Cancelled]))));
        Assert.Equal(8, (await ListAsync(new JobQuery(States: [JobState.Pending]))).Count);
        Assert.Equal(Ids(jobs.Where(j => j.Name == "alpha")), Ids(await ListAsync(new JobQuery(Name: "alpha"))));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.ListAsync(new JobQuery(Cursor: "not a cursor!"), default));
    }

    [Fact]
    public async Task A_transition_writes_the_new_state_and_its_event_together()
    {
        var job = (await Store.SubmitAsync(NewJob(), default)).Job;

        var admitted = await Store.TransitionAsync(job.Id, 1, new JobTransition(JobState.Admitted, "quota free", "agent:scheduler", T0.AddMinutes(1)), default);
        var placed = await Store.TransitionAsync(job.Id, 2, new JobTransition(JobState.Placed, "fits", "agent:scheduler", T0.AddMinutes(2), Placement, "leaf-3"), default);

        Assert.Equal((JobState.Placed, 3L), (placed.Job.State, placed.Job.Version));
        var stored = (await Store.GetAsync(job.Id, default))!;
        AssertSame(placed.Job, stored);
        Assert.Equal(Placement.Select(p => (p.Node, string.Join(',', p.Gpus), p.GpuMilli)), stored.Placement.Select(p => (p.Node, string.Join(',', p.Gpus), p.GpuMilli)));
        Assert.Equal((JobState.Admitted, JobState.Placed, "fits", "leaf-3"), (placed.Event.From!.Value, placed.Event.To, placed.Event.Reason, placed.Event.Details));
        Assert.True(placed.Event.Sequence > admitted.Event.Sequence);
        Assert.Equal([null, JobState.Pending, JobState.Admitted], (await Store.ListEventsAsync(job.Id, default)).Select(e => e.From));
    }

    [Fact]
    public async Task A_stale_version_an_unknown_job_or_an_illegal_move_writes_nothing()
    {
        var job = (await Store.SubmitAsync(NewJob(), default)).Job;
        await Store.TransitionAsync(job.Id, 1, new JobTransition(JobState.Admitted, "quota", "agent:scheduler", T0), default);

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() =>
            Store.TransitionAsync(job.Id, 1, new JobTransition(JobState.Cancelled, "stale", "person:ana", T0), default));
        await Assert.ThrowsAsync<KeyNotFoundException>(() =>
            Store.TransitionAsync(new JobId("job-missing"), 1, new JobTransition(JobState.Admitted, "x", "person:ana", T0), default));
        await Assert.ThrowsAsync<IllegalJobTransitionException>(() =>
            Store.TransitionAsync(job.Id, 2, new JobTransition(JobState.Succeeded, "skip ahead", "person:ana", T0), default));

        var stored = (await Store.GetAsync(job.Id, default))!;
        Assert.Equal((JobState.Admitted, 2L), (stored.State, stored.Version));
        Assert.Equal(2, (await Store.ListEventsAsync(job.Id, default)).Count);
    }

    [Fact]
    public async Task Of_concurrent_transitions_from_one_version_exactly_one_wins()
    {
        var job = (await Store.SubmitAsync(NewJob(), default)).Job;

        var attempts = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            try
            {
                var to = i % 2 == 0 ? JobState.Admitted : JobState.Cancelled;
                await Store.TransitionAsync(job.Id, 1, new JobTransition(to, $"racer {i}", "agent:test", T0), default);
                return true;
            }
            catch (ConcurrencyConflictException)
            {
                return false;
            }
        })));

        Assert.Single(attempts, won => won);
        var stored = (await Store.GetAsync(job.Id, default))!;
        Assert.Equal(2L, stored.Version);
        Assert.Equal(2, (await Store.ListEventsAsync(job.Id, default)).Count);
    }

    [Fact]
    public async Task A_preempted_job_restarts_as_its_next_attempt_and_events_follow_commit_order()
    {
        var a = (await Store.SubmitAsync(NewJob(), default)).Job;
        var b = (await Store.SubmitAsync(NewJob(), default)).Job;
        var job = await RunAsync(a);
        await Store.TransitionAsync(b.Id, 1, new JobTransition(JobState.Cancelled, "changed my mind", "person:bob", T0), default);
        job = (await Store.TransitionAsync(job.Id, job.Version, new JobTransition(JobState.Preempted, "for job-x", "agent:scheduler", T0.AddMinutes(5)), default)).Job;
        job = (await Store.TransitionAsync(job.Id, job.Version, JobMachine.AfterInterruption(job, "agent:scheduler", T0.AddMinutes(6)), default)).Job;

        Assert.Equal((JobState.Pending, 2, 1), (job.State, job.Attempt, job.RetriesUsed));
        Assert.Empty(job.Placement);
        var events = await Store.ListEventsAsync(a.Id, default);
        Assert.Equal(
            [JobState.Pending, JobState.Admitted, JobState.Placed, JobState.Running, JobState.Preempted, JobState.Pending],
            events.Select(e => e.To));
        Assert.Equal([1, 1, 1, 1, 1, 2], events.Select(e => e.Attempt));

        var log = await Store.ListEventsAfterAsync(0, 1000, default);
        Assert.Equal(log.Select(e => e.Sequence).Order(), log.Select(e => e.Sequence));
        Assert.Equal(8, log.Count);
        var tail = await Store.ListEventsAfterAsync(log[4].Sequence, 2, default);
        Assert.Equal(log.Skip(5).Take(2), tail);
        Assert.Empty(await Store.ListEventsAfterAsync(log[^1].Sequence, 10, default));
    }

    [Fact]
    public async Task A_reader_following_the_event_log_during_concurrent_writes_never_skips_an_event()
    {
        var jobs = new List<Job>();
        for (int i = 0; i < 6; i++)
        {
            jobs.Add((await Store.SubmitAsync(NewJob(), default)).Job);
        }

        var seen = new List<JobEvent>();
        long after = 0;
        var writers = Task.WhenAll(jobs.Select(j => Task.Run(() => RunAsync(j))));
        while (!writers.IsCompleted)
        {
            foreach (var e in await Store.ListEventsAfterAsync(after, 7, default))
            {
                seen.Add(e);
                after = e.Sequence;
            }
        }

        await writers;
        seen.AddRange(await Store.ListEventsAfterAsync(after, 1000, default));

        // Whatever the interleaving, what the follower collected is the whole log in order: an event that commits
        // after the follower read past its sequence would be lost to the audit relay.
        Assert.Equal(await Store.ListEventsAfterAsync(0, 1000, default), seen);
        Assert.Equal(6 * 4, seen.Count);
    }

    [Fact]
    public async Task A_checkpoint_of_the_running_attempt_is_kept_and_a_stale_one_is_ignored()
    {
        var job = await RunAsync((await Store.SubmitAsync(NewJob(), default)).Job);

        await Store.RecordCheckpointAsync(job.Id, 1, TimeSpan.FromMinutes(30), T0.AddMinutes(30), default);
        var stored = await Store.RecordCheckpointAsync(job.Id, 1, TimeSpan.FromMinutes(10), T0.AddMinutes(31), default);
        await Store.RecordCheckpointAsync(job.Id, 7, TimeSpan.FromHours(9), T0.AddMinutes(32), default);

        stored = (await Store.GetAsync(job.Id, default))!;
        Assert.Equal((TimeSpan.FromMinutes(30), T0.AddMinutes(30)), (stored.CheckpointProgress, stored.CheckpointAt));
        Assert.Equal(job.Version, stored.Version);
    }

    [Fact]
    public async Task Instants_are_kept_to_the_microsecond_in_utc()
    {
        var at = new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.FromHours(2)).AddTicks(1_234_567);
        var expected = new DateTimeOffset(at.UtcDateTime.AddTicks(-(at.UtcTicks % 10)), TimeSpan.Zero);
        var (job, submitted) = NewJob();
        job = (await Store.SubmitAsync(job with { SubmittedAt = at }, submitted with { At = at }, default)).Job;

        var change = await Store.TransitionAsync(job.Id, 1, new JobTransition(JobState.Cancelled, "x", "person:ana", at), default);

        Assert.Equal((expected, TimeSpan.Zero), (job.SubmittedAt, job.SubmittedAt.Offset));
        Assert.Equal(expected, change.Job.FinishedAt);
        Assert.Equal(expected, change.Event.At);
        Assert.Equal(expected, (await Store.GetAsync(job.Id, default))!.FinishedAt);
        Assert.All(await Store.ListEventsAsync(job.Id, default), e => Assert.Equal(expected, e.At));
    }

    [Fact]
    public async Task Declarations_are_created_updated_listed_and_deleted_by_version()
    {
        var acme = new TenantId("acme");
        var queue = await Store.UpsertDeclarationAsync(DeclarationKind.Queue, "acme-train", acme, "quota: 8", 0, T0, default);
        await Store.UpsertDeclarationAsync(DeclarationKind.Cohort, "research", null, "queues: [acme-train]", 0, T0, default);
        await Store.UpsertDeclarationAsync(DeclarationKind.Tenant, "acme", acme, "name: acme", 0, T0, default);

        Assert.Equal(1L, queue.Version);
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() =>
            Store.UpsertDeclarationAsync(DeclarationKind.Queue, "acme-train", acme, "again", 0, T0, default));
        var updated = await Store.UpsertDeclarationAsync(DeclarationKind.Queue, "acme-train", acme, "quota: 16", 1, T0.AddMinutes(1), default);
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() =>
            Store.UpsertDeclarationAsync(DeclarationKind.Queue, "acme-train", acme, "lost update", 1, T0, default));
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() =>
            Store.UpsertDeclarationAsync(DeclarationKind.Queue, "nobody", acme, "x", 3, T0, default));

        Assert.Equal(new Declaration(DeclarationKind.Queue, "acme-train", acme, "quota: 16", 2, T0.AddMinutes(1)), updated);
        Assert.Equal(updated, await Store.GetDeclarationAsync(DeclarationKind.Queue, "acme-train", default));
        Assert.Null(await Store.GetDeclarationAsync(DeclarationKind.Cohort, "acme-train", default));
        Assert.Equal(["acme", "acme-train", "research"], (await Store.ListDeclarationsAsync(null, null, default)).Select(d => d.Name));
        Assert.Equal(["acme", "acme-train"], (await Store.ListDeclarationsAsync(null, acme, default)).Select(d => d.Name));
        Assert.Equal(["research"], (await Store.ListDeclarationsAsync(DeclarationKind.Cohort, null, default)).Select(d => d.Name));

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Store.DeleteDeclarationAsync(DeclarationKind.Queue, "acme-train", 1, default));
        Assert.True(await Store.DeleteDeclarationAsync(DeclarationKind.Queue, "acme-train", 2, default));
        Assert.False(await Store.DeleteDeclarationAsync(DeclarationKind.Queue, "acme-train", 2, default));
        Assert.Null(await Store.GetDeclarationAsync(DeclarationKind.Queue, "acme-train", default));
    }

    [Fact]
    public async Task A_write_whose_event_cannot_be_recorded_leaves_no_half_state()
    {
        var job = (await Store.SubmitAsync(NewJob(), default)).Job;
        var orphan = NewJob(key: "never");
        await BreakEventLogAsync();

        await Assert.ThrowsAnyAsync<Exception>(() =>
            Store.TransitionAsync(job.Id, 1, new JobTransition(JobState.Admitted, "quota", "agent:scheduler", T0), default));
        await Assert.ThrowsAnyAsync<Exception>(() => Store.SubmitAsync(orphan, default));

        var stored = (await Store.GetAsync(job.Id, default))!;
        Assert.Equal((JobState.Pending, 1L), (stored.State, stored.Version));
        Assert.Null(await Store.GetAsync(orphan.Job.Id, default));
        Assert.Single((await Store.ListAsync(new JobQuery(), default)).Items);
        Assert.Single(await Store.ListEventsAfterAsync(0, 100, default));
    }

    private async Task<Job> RunAsync(Job job)
    {
        job = (await Store.TransitionAsync(job.Id, job.Version, new JobTransition(JobState.Admitted, "quota", "agent:scheduler", T0.AddMinutes(1)), default)).Job;
        job = (await Store.TransitionAsync(job.Id, job.Version, new JobTransition(JobState.Placed, "fits", "agent:scheduler", T0.AddMinutes(2), Placement), default)).Job;
        return (await Store.TransitionAsync(job.Id, job.Version, new JobTransition(JobState.Running, "started", "agent:executor", T0.AddMinutes(3)), default)).Job;
    }

    private async Task<IReadOnlyList<Job>> ListAsync(JobQuery query) => (await Store.ListAsync(query with { Limit = 1000 }, default)).Items;

    private static List<JobId> Ids(IEnumerable<Job> jobs) => [.. jobs.Select(j => j.Id).Order()];

    private (Job Job, JobEvent Event) NewJob(string? key = null, string tenant = "acme", string queue = "train", string name = "train", int gpus = 8)
    {
        var spec = WorkloadSpecReader.ParseJob($"""
            apiVersion: neocloud.dev/v1
            kind: Job
            metadata: {"{"} name: {name}, tenant: {tenant} {"}"}
            spec:
              queue: {queue}
              replicas: 2
              resources: {"{"} gpus: {gpus}, gpuTypes: [h100], cpu: 32, memory: 256 {"}"}
              {(key is null ? "" : "idempotencyKey: " + key)}
            """);

        // Ids in creation order, as SortableId makes them, so listings are in submission order.
        string id = $"job-{Interlocked.Increment(ref _ids):D6}-{Guid.NewGuid():N}";
        return Job.Submit(new JobId(id), spec, "person:ana", T0);
    }

    private static void AssertSame(Job expected, Job actual)
    {
        Assert.Equal(
            expected with { Placement = [] },
            actual with { Placement = [] });
        Assert.Equal(expected.Placement.Count, actual.Placement.Count);
    }
}

internal static class WorkloadStoreExtensions
{
    public static Task<SubmitResult> SubmitAsync(this IWorkloadStore store, (Job Job, JobEvent Event) submission, CancellationToken cancellationToken) =>
        store.SubmitAsync(submission.Job, submission.Event, cancellationToken);
}
