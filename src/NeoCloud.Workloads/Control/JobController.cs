using System.Numerics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NeoCloud.Kernel.Ids;
using NeoCloud.Kernel.Persistence;
using NeoCloud.Scheduling.Cycles;
using NeoCloud.Scheduling.Fragmentation;
using NeoCloud.Scheduling.Gangs;
using NeoCloud.Scheduling.Queues;
using NeoCloud.Workloads.Execution;
using NeoCloud.Workloads.Jobs;
using NeoCloud.Workloads.Specs;
using NeoCloud.Workloads.Store;

namespace NeoCloud.Workloads.Control;

/// <summary>
/// Runs the job flow of ARCHITECTURE §4: a submitted job is stored, handed to the in-memory scheduler, admitted and placed
/// in a cycle, started by the executor, and followed through the executor's reports to its end; preempted and
/// infra-failed attempts go back to pending and restart from their last checkpoint while the retry budget lasts. The
/// store is the record: every state change is a persisted job event, written before the executor is told to act.
/// Services (<c>kind: Service</c>) take the same flow as a gang spread across failure domains that never ends by itself:
/// they stop on cancel, and an infrastructure failure restarts them (their retry budget has no end).
/// </summary>
/// <remarks>
/// The scheduler is single-threaded; one gate serialises everything that touches it. Store writes are optimistic: a
/// transition that races another (a cancel from the API while the executor reports an end) is re-read and re-decided.
/// </remarks>
public sealed class JobController : IExecutionReporter
{
    /// <summary>The actor recorded on changes the control plane makes itself.</summary>
    public const string SystemActor = "system:scheduler";

    /// <summary>A run-section environment key the twin executor reads: how much work the job really has (the trace's runtime).</summary>
    public const string WorkHintKey = "twin.work";

    /// <summary>The work a service's attempt is given: endless (executors must not add to it), so only a cancel or a failure ends it.</summary>
    public static readonly TimeSpan ServiceWork = TimeSpan.MaxValue;

    private readonly IWorkloadStore _store;
    private readonly IJobExecutor _executor;
    private readonly ClusterScheduler _scheduler;
    private readonly IGangPlacer _placer;
    private readonly TimeProvider _clock;
    private readonly ILogger _log;
    private readonly WorkloadMetrics _metrics;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, int> _nodeIndex = new(StringComparer.Ordinal);
    private readonly Dictionary<JobId, Tracked> _tracked = [];
    private readonly Dictionary<GpuId, GangPlacement> _heldGpus = [];

    /// <summary>How many recent submissions the typical shapes are learned from.</summary>
    private const int ShapeMemory = 5_000;

    private readonly Queue<Scheduling.Placement.PlacementRequest> _shapes = new();
    private int _shapesSinceScorer;
    private readonly Lock _ids = new();
    private readonly Dictionary<string, IReadOnlyList<string>?> _priorityClasses = new(StringComparer.Ordinal);
    private string _lastId = "";
    private CycleResult? _lastCycle;

    public JobController(
        IWorkloadStore store, IJobExecutor executor, ClusterScheduler scheduler, IGangPlacer placer, TimeProvider clock,
        WorkloadMetrics? metrics = null, ILogger<JobController>? log = null)
    {
        _store = store;
        _executor = executor;
        _scheduler = scheduler;
        _placer = placer;
        _clock = clock;
        _metrics = metrics ?? new WorkloadMetrics();
        _log = log ?? (ILogger)NullLogger.Instance;
        for (int i = 0; i < placer.Snapshot.NodeCount; i++)
        {
            _nodeIndex[placer.Snapshot.NodeName(i)] = i;
        }

        executor.Attach(this);
    }

    /// <summary>The last cycle's decisions and queue states (null before the first cycle).</summary>
    public CycleResult? LastCycle => _lastCycle;

    public WorkloadMetrics Metrics => _metrics;

    /// <summary>Jobs the controller follows now (pending in the scheduler, or placed and running).</summary>
    public int Active
    {
        get
        {
            _gate.Wait();
            try
            {
                return _tracked.Count;
            }
            finally
            {
                _gate.Release();
            }
        }
    }

    /// <summary>
    /// Stores a validated spec as a pending job and queues it. Submitting again with the same idempotency key returns the
    /// job made the first time; a different spec under that key is an <see cref="IdempotencyConflictException"/>.
    /// </summary>
    public async Task<SubmitResult> SubmitAsync(WorkloadSpec spec, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec is ServiceSpec { MinReplicas: < 1 } idle)
        {
            // A valid spec (min 0 leaves room for scale-to-zero), but with no autoscaler a service at 0 would never run.
            throw new WorkloadRejectedException($"{idle.Name}: replicas.min is 0 and nothing scales a service up yet; ask for at least 1 replica");
        }

        // Checked before the job is stored: the scheduler refuses it on enqueue, and a stored job it refused would stay pending forever.
        lock (_ids)
        {
            if (!_priorityClasses.TryGetValue(spec.Queue.Value, out var allowed))
            {
                throw new WorkloadRejectedException($"queue '{spec.Queue}' does not exist; declare it (kind: Queue) before submitting to it");
            }

            if (allowed is not null && !allowed.Contains(spec.PriorityClass.Name))
            {
                throw new WorkloadRejectedException(
                    $"priority class '{spec.PriorityClass.Name}' is not allowed in queue {spec.Queue} (allowed: {string.Join(", ", allowed)})");
            }
        }

        var (job, submitted) = Job.Submit(NextId(), spec, actor, _clock.GetUtcNow());
        var result = await _store.SubmitAsync(job, submitted, cancellationToken);
        if (result.Created)
        {
            _metrics.Submitted(result.Job.Queue.Value);
            await _gate.WaitAsync(cancellationToken);
            try
            {
                Enqueue(result.Job);
            }
            finally
            {
                _gate.Release();
            }
        }

        return result;
    }

    /// <summary>Cancels a job that has not ended: it leaves the queue, or its attempt is stopped and its capacity freed.</summary>
    public async Task<Job> CancelAsync(JobId id, string actor, string? reason, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            for (int tries = 0; ; tries++)
            {
                var job = await _store.GetAsync(id, cancellationToken) ?? throw new KeyNotFoundException($"job {id} not found");
                if (job.IsFinal)
                {
                    return job;
                }

                if (job.State is JobState.Preempted or JobState.InfraFailed)
                {
                    // Between an interruption and its restart: settle the restart first, then cancel the pending job.
                    await SettleInterruptionAsync(job, cancellationToken);
                    continue;
                }

                try
                {
                    var change = await _store.TransitionAsync(id, job.Version, new JobTransition(JobState.Cancelled, reason ?? $"cancelled by {actor}", actor, _clock.GetUtcNow()), cancellationToken);
                    _scheduler.Cancel(id.Value);
                    _metrics.Ended(job.Queue.Value, JobState.Cancelled);
                    if (JobMachine.HoldsCapacity(job.State))
                    {
                        await _executor.StopAsync(id, job.Attempt, change.Job.LastReason, cancellationToken);
                    }

                    _tracked.Remove(id);
                    return change.Job;
                }
                catch (ConcurrencyConflictException) when (tries < 3)
                {
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Takes a placed or running job off its hardware because the hardware is to be repaired (health remediation): its
    /// attempt is stopped and it is requeued from its last checkpoint, as after an infrastructure failure (the same retry
    /// budget; a job whose budget is spent fails). The job's events record <paramref name="reason"/>. A job that holds no
    /// capacity (pending, ended) is left as it is.
    /// </summary>
    /// <returns>The GPU-hours lost: every GPU the attempt held × the time since its last checkpoint (or its start); 0 when nothing was evicted.</returns>
    public async Task<double> EvictAsync(JobId id, string reason, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            for (int tries = 0; ; tries++)
            {
                var job = await _store.GetAsync(id, cancellationToken) ?? throw new KeyNotFoundException($"job {id} not found");
                if (!JobMachine.HoldsCapacity(job.State))
                {
                    return 0;
                }

                var now = _clock.GetUtcNow();

                // What the executor says it saved is recorded first: the next attempt resumes from there, and the loss counts from it.
                if (await _executor.StatusAsync(id, job.Attempt, cancellationToken) is { LastCheckpoint: { } saved })
                {
                    job = await _store.RecordCheckpointAsync(id, job.Attempt, saved, now, cancellationToken);
                }

                JobChange change;
                try
                {
                    change = await _store.TransitionAsync(id, job.Version, new JobTransition(JobState.InfraFailed, $"evicted: {reason}", SystemActor, now), cancellationToken);
                }
                catch (ConcurrencyConflictException) when (tries < 3)
                {
                    continue;
                }

                double lost = GpuHoursLost(job, now);
                await _executor.StopAsync(id, job.Attempt, change.Job.LastReason, cancellationToken);
                _scheduler.Finished(id.Value, now);
                _metrics.Interrupted(job.Queue.Value, "evicted", lost);
                await SettleInterruptionAsync(change.Job, cancellationToken);
                return lost;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Asks a placed or running job's executor to write a checkpoint now (before a drain); false when the job holds no capacity.</summary>
    public async Task<bool> SignalCheckpointAsync(JobId id, CancellationToken cancellationToken)
    {
        var job = await _store.GetAsync(id, cancellationToken) ?? throw new KeyNotFoundException($"job {id} not found");
        if (!JobMachine.HoldsCapacity(job.State))
        {
            return false;
        }

        await _executor.SignalCheckpointAsync(id, job.Attempt, cancellationToken);
        return true;
    }

    /// <summary>
    /// The jobs that hold capacity now (placed or running) with their placements, read from the store: what health
    /// remediation moves off faulty hardware and what the health loop maps GPUs to work with.
    /// </summary>
    public async Task<IReadOnlyList<Job>> ListPlacedAsync(CancellationToken cancellationToken)
    {
        var result = new List<Job>();
        string? cursor = null;
        do
        {
            var page = await _store.ListAsync(new JobQuery { States = HoldingCapacity, Cursor = cursor, Limit = 500 }, cancellationToken);
            result.AddRange(page.Items);
            cursor = page.NextCursor;
        }
        while (cursor is not null);
        return result;
    }

    private static readonly JobState[] HoldingCapacity = [JobState.Placed, JobState.Running];

    /// <summary>When a pending job is expected to start, from the scheduler's reservation profile (null: not pending, or it can never run as asked).</summary>
    public DateTimeOffset? EstimatedStart(JobId id)
    {
        _gate.Wait();
        try
        {
            return _tracked.TryGetValue(id, out var tracked) && !tracked.Running ? _scheduler.EstimatedStart(id.Value) : null;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Declares or updates a queue or cohort in the scheduler (the store keeps the declaration; this applies it).</summary>
    public async Task ApplyAsync(QueueManifests manifests, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifests);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            _scheduler.Apply(manifests);
            lock (_ids)
            {
                foreach (var queue in manifests.Queues)
                {
                    _priorityClasses[queue.Name] = queue.PriorityClasses;
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The scheduler's view of every queue now.</summary>
    public IReadOnlyList<QueueStatus> QueueStatuses()
    {
        _gate.Wait();
        try
        {
            return _scheduler.Statuses();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Whether the queue was declared and applied (the queues the scheduler knows, kept beside their allowed priority classes).</summary>
    public bool HasQueue(string queue)
    {
        lock (_ids)
        {
            return _priorityClasses.ContainsKey(queue);
        }
    }

    /// <summary>Marks a node usable or not for new work (lifecycle and health decide); running work stays where it is.</summary>
    public async Task SetSchedulableAsync(NodeId node, bool schedulable, CancellationToken cancellationToken)
    {
        if (!_nodeIndex.TryGetValue(node.Value, out int index))
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_placer.IsSchedulable(index) != schedulable)
            {
                _placer.SetSchedulable(index, schedulable);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Keeps one GPU of a usable node out of placement (quarantined or unhealthy GPU) or gives it back, by holding its
    /// capacity under a reserved placement. A GPU that work holds now is taken when that work frees it.
    /// </summary>
    public async Task<bool> HoldGpuAsync(GpuId gpu, bool hold, CancellationToken cancellationToken)
    {
        if (!_nodeIndex.TryGetValue(gpu.Node.Value, out int node))
        {
            return false;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (!hold)
            {
                if (_heldGpus.Remove(gpu, out var held))
                {
                    _placer.Release(HoldRequest(gpu), held);
                }

                return true;
            }

            if (_heldGpus.ContainsKey(gpu) || _placer.Snapshot.GpuFree(node)[gpu.Index] < 1000)
            {
                return _heldGpus.ContainsKey(gpu);
            }

            var placement = new GangPlacement(HoldRequest(gpu).Id, [new Scheduling.Placement.Binding(node, 1UL << gpu.Index)]);
            _placer.Bind(HoldRequest(gpu), placement);
            _heldGpus[gpu] = placement;
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Rebuilds the scheduler's state from the store after a start: pending jobs are queued again, placed and running
    /// attempts take back their capacity, and an attempt the executor no longer knows is an infrastructure failure.
    /// </summary>
    public async Task RecoverAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            string? cursor = null;
            do
            {
                var page = await _store.ListAsync(new JobQuery { States = Live, Cursor = cursor, Limit = 500 }, cancellationToken);
                foreach (var job in page.Items)
                {
                    await RecoverOneAsync(job, cancellationToken);
                }

                cursor = page.NextCursor;
            }
            while (cursor is not null);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>One scheduling cycle: preempt, admit and place; each decision is stored, then the executor is told.</summary>
    public async Task<CycleResult> RunCycleAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var now = _clock.GetUtcNow();
            var cycle = _scheduler.RunCycle(now);
            foreach (var preemption in cycle.Preemptions)
            {
                await PreemptAsync(preemption, now, cancellationToken);
            }

            foreach (var start in cycle.Started)
            {
                await StartAsync(start, now, cancellationToken);
            }

            _lastCycle = cycle;
            return cycle;
        }
        finally
        {
            _gate.Release();
        }
    }

    async ValueTask IExecutionReporter.StartedAsync(JobId job, int attempt, DateTimeOffset at)
    {
        await _gate.WaitAsync();
        try
        {
            var current = await _store.GetAsync(job, default);
            if (current is not { State: JobState.Placed } || current.Attempt != attempt)
            {
                return;
            }

            await _store.TransitionAsync(job, current.Version, new JobTransition(JobState.Running, "all replicas running", _executorActor, at), default);
            if (_tracked.TryGetValue(job, out var tracked))
            {
                tracked.Running = true;
            }

            _metrics.Started(current.Queue.Value, at - current.SubmittedAt);
        }
        finally
        {
            _gate.Release();
        }
    }

    async ValueTask IExecutionReporter.CheckpointedAsync(JobId job, int attempt, TimeSpan progress, DateTimeOffset at)
    {
        await _gate.WaitAsync();
        try
        {
            var stored = await _store.RecordCheckpointAsync(job, attempt, progress, at, default);
            if (stored.Attempt == attempt && !stored.IsFinal)
            {
                _scheduler.Checkpointed(job.Value, at);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    async ValueTask IExecutionReporter.EndedAsync(JobId job, int attempt, ExecutionOutcome outcome, string detail, DateTimeOffset at)
    {
        await _gate.WaitAsync();
        try
        {
            var current = await _store.GetAsync(job, default);
            if (current is null || current.Attempt != attempt || !JobMachine.HoldsCapacity(current.State))
            {
                // A stop we asked for (cancel, preemption) was already recorded, or the report is for an older attempt.
                return;
            }

            var to = outcome switch
            {
                ExecutionOutcome.Succeeded => JobState.Succeeded,
                ExecutionOutcome.Failed => JobState.Failed,
                ExecutionOutcome.InfraFailed or ExecutionOutcome.Stopped => JobState.InfraFailed,
                _ => (JobState?)null,
            };
            if (to is not { } state)
            {
                return;
            }

            if (current.State == JobState.Placed && state is JobState.Succeeded or JobState.Failed)
            {
                // The executor ended it before it reported the start: record the start first so the lifecycle stays whole.
                current = (await _store.TransitionAsync(job, current.Version, new JobTransition(JobState.Running, "all replicas running", _executorActor, at), default)).Job;
            }

            var change = await _store.TransitionAsync(job, current.Version, new JobTransition(state, detail, _executorActor, at), default);
            _scheduler.Finished(job.Value, at);
            if (state == JobState.InfraFailed)
            {
                _metrics.Interrupted(current.Queue.Value, "infra-failed", GpuHoursLost(current, at));
                await SettleInterruptionAsync(change.Job, default);
            }
            else
            {
                _tracked.Remove(job);
                _metrics.Ended(current.Queue.Value, state);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private static readonly JobState[] Live = [JobState.Pending, JobState.Admitted, JobState.Placed, JobState.Running, JobState.Preempted, JobState.InfraFailed];

    private readonly string _executorActor = "system:executor";

    private async Task RecoverOneAsync(Job job, CancellationToken cancellationToken)
    {
        switch (job.State)
        {
            case JobState.Pending or JobState.Admitted:
                await RequeueAsync(job, cancellationToken);
                break;
            case JobState.Preempted or JobState.InfraFailed:
                await SettleInterruptionAsync(job, cancellationToken);
                break;
            default:
                var status = await _executor.StatusAsync(job.Id, job.Attempt, cancellationToken);
                var spec = job.Spec;
                var placement = ToGangPlacement(job);
                if (status is { Outcome: ExecutionOutcome.Running } && placement is not null)
                {
                    _scheduler.Restore(ToPending(job, spec), placement, job.StartedAt ?? job.SubmittedAt);
                    _tracked[job.Id] = new Tracked { Running = job.State == JobState.Running };
                    break;
                }

                var now = _clock.GetUtcNow();
                var change = await _store.TransitionAsync(job.Id, job.Version, new JobTransition(JobState.InfraFailed, "the control plane restarted and the executor no longer runs this attempt", SystemActor, now), cancellationToken);
                await SettleInterruptionAsync(change.Job, cancellationToken);
                break;
        }
    }

    private async Task PreemptAsync(Scheduling.Preemption.PreemptionDecision decision, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var id = new JobId(decision.VictimId);
        var victim = await _store.GetAsync(id, cancellationToken);
        if (victim is null || !JobMachine.HoldsCapacity(victim.State))
        {
            return;
        }

        // The checkpoint signal goes first so an executor that can checkpoint on demand saves what it can before it stops.
        await _executor.SignalCheckpointAsync(id, victim.Attempt, cancellationToken);

        // Its report of that checkpoint may come after the job has moved to its next attempt, when the store ignores it as
        // stale; so what the executor says it saved is recorded now, and the next attempt resumes from there.
        if (await _executor.StatusAsync(id, victim.Attempt, cancellationToken) is { LastCheckpoint: { } saved })
        {
            victim = await _store.RecordCheckpointAsync(id, victim.Attempt, saved, now, cancellationToken);
        }

        var change = await _store.TransitionAsync(
            id, victim.Version,
            new JobTransition(JobState.Preempted, $"preempted ({decision.Reason}) for {decision.BeneficiaryId}", SystemActor, now, Details: decision.Text),
            cancellationToken);
        await _executor.StopAsync(id, victim.Attempt, change.Job.LastReason, cancellationToken);
        _metrics.Preempted(victim.Queue.Value, decision.Reason.ToString(), GpuHoursLost(victim, now));
        await SettleInterruptionAsync(change.Job, cancellationToken);
    }

    private async Task StartAsync(StartedWorkload start, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var id = new JobId(start.Id);
        var job = await _store.GetAsync(id, cancellationToken);
        if (job is null || job.State is not (JobState.Pending or JobState.Admitted))
        {
            // Cancelled in the meantime: give the capacity straight back.
            _scheduler.Cancel(start.Id);
            return;
        }

        var spec = job.Spec;
        if (job.State == JobState.Pending)
        {
            string admitted = start.Backfilled ? $"admitted to {job.Queue} (backfilled behind the reservation)" : $"admitted to {job.Queue}";
            job = (await _store.TransitionAsync(id, job.Version, new JobTransition(JobState.Admitted, admitted, SystemActor, now), cancellationToken)).Job;
        }

        var replicas = ToReplicas(start.Placement, spec);
        string where = string.Join(", ", replicas.Select(r => $"{r.Node}[{string.Join(',', r.Gpus)}]"));
        job = (await _store.TransitionAsync(id, job.Version, new JobTransition(JobState.Placed, $"placed on {replicas.Select(r => r.Node).Distinct().Count()} node(s)", SystemActor, now, replicas, where), cancellationToken)).Job;
        _metrics.Placed(job.Queue.Value, now - job.SubmittedAt);
        if (_tracked.TryGetValue(id, out var tracked))
        {
            tracked.Running = true;
        }

        var request = spec switch
        {
            JobSpec batch => new ExecutionRequest(
                id, job.Attempt, job.Tenant, replicas, Hint(batch, WorkHintKey) ?? batch.RuntimeEstimate ?? batch.RuntimeLimit ?? TimeSpan.FromHours(1),
                job.CheckpointProgress ?? TimeSpan.Zero, batch.CheckpointInterval, batch.RuntimeLimit, Command(batch)),

            // A service has no end of its own: it runs until it is cancelled or the infrastructure under it fails.
            _ => new ExecutionRequest(id, job.Attempt, job.Tenant, replicas, ServiceWork, TimeSpan.Zero, null, null, Command(spec)),
        };
        try
        {
            await _executor.StartAsync(request, cancellationToken);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            _log.LogWarning(ex, "Executor refused to start {Job} attempt {Attempt}", id, job.Attempt);
            var failed = await _store.TransitionAsync(id, job.Version, new JobTransition(JobState.InfraFailed, $"the executor could not start it: {ex.Message}", SystemActor, now), cancellationToken);
            _scheduler.Finished(id.Value, now);
            await SettleInterruptionAsync(failed.Job, cancellationToken);
        }
    }

    // After a preemption or infra failure: back to pending (a new attempt from the last checkpoint) or failed when the budget is spent.
    private async Task SettleInterruptionAsync(Job job, CancellationToken cancellationToken)
    {
        var next = JobMachine.AfterInterruption(job, SystemActor, _clock.GetUtcNow());
        var change = await _store.TransitionAsync(job.Id, job.Version, next, cancellationToken);
        if (change.Job.State == JobState.Pending)
        {
            await RequeueAsync(change.Job, cancellationToken);
        }
        else
        {
            _tracked.Remove(job.Id);
            _metrics.Ended(job.Queue.Value, change.Job.State);
        }
    }

    // A stored job the scheduler refuses now (its queue was redeclared without it, or with other priority classes) is
    // cancelled with the scheduler's reason: left pending in the store it would wait where no cycle sees it, and one such job
    // must not stop a recovery (and with it the host's start) or a scheduling cycle.
    private async Task RequeueAsync(Job job, CancellationToken cancellationToken)
    {
        try
        {
            Enqueue(job);
        }
        catch (Exception ex) when (ex is ArgumentException or KeyNotFoundException)
        {
            _log.LogWarning(ex, "The scheduler no longer accepts {Job}; cancelling it", job.Id);
            _tracked.Remove(job.Id);
            await _store.TransitionAsync(job.Id, job.Version, new JobTransition(JobState.Cancelled, $"the scheduler no longer accepts it: {ex.Message}", SystemActor, _clock.GetUtcNow()), cancellationToken);
            _metrics.Ended(job.Queue.Value, JobState.Cancelled);
        }
    }

    private void Enqueue(Job job)
    {
        var pending = ToPending(job, job.Spec);
        _scheduler.Submit(pending);
        _tracked[job.Id] = new Tracked();
        _shapes.Enqueue(pending.Gang.Replica);
        if (_shapes.Count > ShapeMemory)
        {
            _shapes.Dequeue();
        }

        _shapesSinceScorer++;
    }

    /// <summary>
    /// Rebuilds the placer's fragmentation scorer from the shapes of the most recent submissions (the "jobs that typically
    /// arrive" of FGD): the first time as soon as a job came in, then once <paramref name="minNewShapes"/> jobs have come
    /// in since the last rebuild; false when it did not (too few new jobs, or a placer without a scorer slot). Building it
    /// reads every node once.
    /// </summary>
    public async Task<bool> RefreshPlacementScorerAsync(int minNewShapes, CancellationToken cancellationToken)
    {
        if (_placer is not TopologyGangPlacer gangPlacer)
        {
            return false;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_shapes.Count == 0 || (gangPlacer.Scorer is not null && _shapesSinceScorer < minNewShapes))
            {
                return false;
            }

            gangPlacer.Scorer = new FragmentationScorer(gangPlacer.Snapshot, TypicalTasks.From(_shapes));
            _shapesSinceScorer = 0;
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    private static PendingWorkload ToPending(Job job, WorkloadSpec spec) => spec switch
    {
        JobSpec batch => ToPending(job, batch),

        // No estimate of its own: the scheduler plans it to hold its capacity for ServiceSpec.PlanningRuntime, with no
        // limit; its priority class gives its priority and the runtime it is guaranteed before any preemption.
        ServiceSpec service => new PendingWorkload(
            job.Id.Value, job.Queue.Value, service.PriorityClass.Value, service.PriorityClass.Preemptible, service.ToGangRequest(job.Id.Value),
            job.SubmittedAt, ServiceSpec.PlanningRuntime, null, service.PriorityClass.DefaultMinRuntime, job.CheckpointAt, service.PriorityClass.Name),
        _ => throw new WorkloadRejectedException($"{job.Kind} {job.Name}: a {spec.GetType().Name} cannot be scheduled"),
    };

    private static PendingWorkload ToPending(Job job, JobSpec spec)
    {
        // A restarted attempt only has the work after its checkpoint left; plan with that.
        var done = job.CheckpointProgress ?? TimeSpan.Zero;
        TimeSpan? estimate = spec.RuntimeEstimate is { } e ? Max(e - done, TimeSpan.FromMinutes(1)) : null;
        return new PendingWorkload(
            job.Id.Value, job.Queue.Value, spec.PriorityClass.Value, spec.PriorityClass.Preemptible, spec.ToGangRequest(job.Id.Value),
            job.SubmittedAt, estimate, spec.RuntimeLimit, Protection(spec.MinRuntime, job.Attempt), job.CheckpointAt, spec.PriorityClass.Name);
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    /// <summary>
    /// The guaranteed minimum runtime of an attempt doubles with every restart (up to 16×): a job that was already
    /// interrupted is not the cheapest victim again and again. Replaying the Venus trace without it, reclaim preempted one
    /// job until its retry budget was spent.
    /// </summary>
    internal static TimeSpan Protection(TimeSpan minRuntime, int attempt) =>
        minRuntime * Math.Min(16, 1 << Math.Clamp(attempt - 1, 0, 4));

    // Job ids sort in submission order (listings page by id). The clock may stand still between submissions (the twin's
    // virtual clock moves a tick at a time), and two random ids of one millisecond sort at random; so, as ULID's monotonic
    // mode does, an id that would not sort after the last one is the last one plus one.
    private JobId NextId()
    {
        lock (_ids)
        {
            string id = Job.NewId(_clock).Value;
            if (string.CompareOrdinal(id, _lastId) <= 0)
            {
                id = Successor(_lastId);
            }

            _lastId = id;
            return new JobId(id);
        }
    }

    private static string Successor(string id)
    {
        const string Crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
        var chars = id.ToCharArray();
        for (int i = chars.Length - 1; i > id.IndexOf('-', StringComparison.Ordinal); i--)
        {
            int digit = Crockford.IndexOf(chars[i], StringComparison.Ordinal);
            if (digit < Crockford.Length - 1)
            {
                chars[i] = Crockford[digit + 1];
                return new string(chars);
            }

            chars[i] = Crockford[0];
        }

        throw new InvalidOperationException($"no job id sorts after {id}");
    }

    private GangPlacement? ToGangPlacement(Job job)
    {
        var bindings = new List<Scheduling.Placement.Binding>();
        foreach (var replica in job.Placement)
        {
            if (!_nodeIndex.TryGetValue(replica.Node.Value, out int node))
            {
                return null;
            }

            ulong mask = 0;
            foreach (int gpu in replica.Gpus)
            {
                mask |= 1UL << gpu;
            }

            bindings.Add(new Scheduling.Placement.Binding(node, mask));
        }

        return bindings.Count == 0 ? null : new GangPlacement(job.Id.Value, bindings);
    }

    private List<ReplicaPlacement> ToReplicas(GangPlacement placement, WorkloadSpec spec)
    {
        var replicas = new List<ReplicaPlacement>(placement.Replicas.Count);
        foreach (var binding in placement.Replicas)
        {
            var gpus = new List<int>(BitOperations.PopCount(binding.GpuMask));
            for (ulong m = binding.GpuMask; m != 0; m &= m - 1)
            {
                gpus.Add(BitOperations.TrailingZeroCount(m));
            }

            replicas.Add(new ReplicaPlacement(new NodeId(_placer.Snapshot.NodeName(binding.Node)), gpus, spec.Resources.GpuMilli));
        }

        return replicas;
    }

    private static double GpuHoursLost(Job job, DateTimeOffset at)
    {
        // Work since the last checkpoint (or since the start) is lost on every GPU the attempt held.
        var since = job.CheckpointAt is { } c && c > (job.StartedAt ?? c) ? c : job.StartedAt;
        if (since is not { } from || at <= from)
        {
            return 0;
        }

        double gpus = job.Placement.Sum(r => r.Gpus.Count * r.GpuMilli / 1000.0);
        return gpus * (at - from).TotalHours;
    }

    private static TimeSpan? Hint(JobSpec spec, string key) =>
        spec.Run.Variables.TryGetValue(key, out string? text) && TimeSpan.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var value) ? value : null;

    private static IReadOnlyDictionary<string, string> Command(WorkloadSpec spec) => spec.Run.ToCommand();

    private static GangRequest HoldRequest(GpuId gpu) =>
        new($"hold:{gpu}", 1, new Scheduling.Placement.PlacementRequest(0, 0, 1, Scheduling.Placement.PlacementRequest.WholeGpu), []);

    private sealed class Tracked
    {
        public bool Running { get; set; }
    }
}
