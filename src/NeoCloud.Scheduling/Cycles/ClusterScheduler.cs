using NeoCloud.Scheduling.Backfill;
using NeoCloud.Scheduling.Fairness;
using NeoCloud.Scheduling.Gangs;
using NeoCloud.Scheduling.Metrics;
using NeoCloud.Scheduling.Placement;
using NeoCloud.Scheduling.Preemption;
using NeoCloud.Scheduling.Queues;
using NeoCloud.Scheduling.Topology;

namespace NeoCloud.Scheduling.Cycles;

/// <summary>
/// The scheduler's brain: queues with quotas and cohorts, fair share, preemption, EASY backfill and estimated starts over
/// an <see cref="IGangPlacer"/>. Pure, in memory, single-threaded and deterministic: the caller serialises calls, feeds
/// time in, persists the decisions a cycle returns and stops the preempted workloads.
/// </summary>
public sealed partial class ClusterScheduler
{
    private readonly IGangPlacer _placer;
    private readonly SchedulerOptions _options;
    private readonly SchedulingMetrics? _metrics;
    private readonly ResourceFlavours _flavours;
    private readonly Dictionary<string, CohortState> _cohorts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, QueueState> _queues = new(StringComparer.Ordinal);
    private readonly Dictionary<string, WorkloadEntry> _pending = new(StringComparer.Ordinal);
    private readonly Dictionary<string, WorkloadEntry> _running = new(StringComparer.Ordinal);
    private readonly SortedSet<WorkloadEntry> _arrival = new(WorkloadEntry.ArrivalOrder);
    private readonly SortedSet<WorkloadEntry> _runningByEnd = new(WorkloadEntry.EndOrder);
    private readonly HashSet<ShapeKey> _failedShapes = [];
    private readonly List<ShapeKey> _failedList = [];
    private readonly List<int> _hidden = [];
    private HashSet<int>? _hiddenFor;
    private readonly long[] _scratch;
    private readonly (int Cpu, int Memory, int Gpus)[] _largestNode;
    private long _sequence;
    private DateTimeOffset? _historyAt;
    private DateTimeOffset _now = DateTimeOffset.MinValue;

    public ClusterScheduler(IGangPlacer placer, SchedulerOptions options, SchedulingMetrics? metrics = null)
    {
        if (options.Problem() is { } problem)
        {
            throw new ArgumentException(problem, nameof(options));
        }

        _placer = placer;
        _options = options;
        _metrics = metrics;
        var snapshot = placer.Snapshot;
        _flavours = new ResourceFlavours(snapshot);
        _scratch = new long[_flavours.Count];
        _largestNode = new (int, int, int)[snapshot.GpuModels.Count];
        for (int n = 0; n < snapshot.NodeCount; n++)
        {
            ref var largest = ref _largestNode[snapshot.ModelOf(n)];
            largest = (Math.Max(largest.Cpu, snapshot.CpuCapacity(n)), Math.Max(largest.Memory, snapshot.MemoryCapacity(n)), Math.Max(largest.Gpus, snapshot.GpuCount(n)));
        }
    }

    public SchedulerOptions Options => _options;

    public int PendingCount => _pending.Count;

    public int RunningCount => _running.Count;

    // ---- configuration -------------------------------------------------------------------------------------------

    /// <summary>Adds or updates every cohort, then every queue, of a manifest stream.</summary>
    public void Apply(QueueManifests manifests)
    {
        foreach (var cohort in manifests.Cohorts)
        {
            Configure(cohort);
        }

        foreach (var queue in manifests.Queues)
        {
            Configure(queue);
        }
    }

    public void Configure(CohortSpec cohort)
    {
        if (string.IsNullOrWhiteSpace(cohort.Name))
        {
            throw new ArgumentException("a cohort must be named", nameof(cohort));
        }

        if (_cohorts.TryGetValue(cohort.Name, out var existing))
        {
            existing.Spec = cohort;
        }
        else
        {
            _cohorts[cohort.Name] = new CohortState(cohort, _flavours.Count);
        }
    }

    /// <summary>Adds or updates a queue. Quotas are read by cycles only, so a change takes effect at the next cycle.</summary>
    public void Configure(QueueSpec queue)
    {
        if (queue.Problem() is { } problem)
        {
            throw new ArgumentException(problem, nameof(queue));
        }

        CohortState? cohort = null;
        if (queue.Cohort is not null && !_cohorts.TryGetValue(queue.Cohort, out cohort))
        {
            throw new ArgumentException($"queue {queue.Name}: cohort '{queue.Cohort}' is not configured; configure the cohort first", nameof(queue));
        }

        if (!_queues.TryGetValue(queue.Name, out var state))
        {
            state = new QueueState(queue, _flavours);
            _queues[queue.Name] = state;
        }
        else
        {
            state.SetSpec(queue, _flavours);
        }

        if (state.Cohort != cohort)
        {
            var old = state.Cohort;
            old?.Members.Remove(state);
            old?.Recompute();
            state.Cohort = cohort;
            cohort?.Members.Add(state);
        }

        state.Cohort?.Recompute();
    }

    /// <summary>Removes an empty queue; a queue with pending or running work is refused.</summary>
    public void RemoveQueue(string name)
    {
        var state = QueueOf(name);
        if (state.Pending.Count > 0 || state.Running.Count > 0)
        {
            throw new InvalidOperationException($"queue {name} still has {state.Pending.Count} pending and {state.Running.Count} running workloads");
        }

        _queues.Remove(name);
        state.Cohort?.Members.Remove(state);
        state.Cohort?.Recompute();
    }

    /// <summary>Removes a cohort no queue belongs to.</summary>
    public void RemoveCohort(string name)
    {
        if (!_cohorts.TryGetValue(name, out var cohort))
        {
            throw new KeyNotFoundException($"cohort '{name}' is not configured");
        }

        if (cohort.Members.Count > 0)
        {
            throw new InvalidOperationException($"cohort {name} still has queues: {string.Join(", ", cohort.Members.Select(q => q.Name))}");
        }

        _cohorts.Remove(name);
    }

    // ---- workload lifecycle --------------------------------------------------------------------------------------

    /// <summary>Queues a workload; returns false (and changes nothing) when a workload with its id is already pending or running.</summary>
    public bool Submit(PendingWorkload workload)
    {
        if (workload.Problem() is { } problem)
        {
            throw new ArgumentException(problem, nameof(workload));
        }

        if (_pending.ContainsKey(workload.Id) || _running.ContainsKey(workload.Id))
        {
            return false;
        }

        var queue = QueueOf(workload.Queue);
        if (queue.Spec.PriorityClasses is { } classes && (workload.PriorityClass is null || !classes.Contains(workload.PriorityClass)))
        {
            throw new ArgumentException(
                $"workload {workload.Id}: priority class '{workload.PriorityClass ?? "(none)"}' is not allowed in queue {queue.Name} (allowed: {string.Join(", ", classes)})",
                nameof(workload));
        }

        var entry = NewEntry(workload, queue);
        AddPending(entry);
        Touch(workload.SubmittedAt);
        return true;
    }

    /// <summary>Takes back a running workload after a control-plane restart: binds its placement and counts its usage.</summary>
    public void Restore(PendingWorkload workload, GangPlacement placement, DateTimeOffset startedAt)
    {
        if (workload.Problem() is { } problem)
        {
            throw new ArgumentException(problem, nameof(workload));
        }

        if (_pending.ContainsKey(workload.Id) || _running.ContainsKey(workload.Id))
        {
            throw new InvalidOperationException($"workload {workload.Id} is already known to the scheduler");
        }

        var entry = NewEntry(workload, QueueOf(workload.Queue));
        _placer.Bind(workload.Gang, placement);
        AddRunning(entry, placement, UsageOf(entry, placement), startedAt);
        Touch(startedAt);
    }

    /// <summary>Removes a pending workload or releases a running one; false when it is unknown.</summary>
    public bool Cancel(string id)
    {
        if (_pending.TryGetValue(id, out var pending))
        {
            RemovePending(pending);
            _estimatesValid = false;
            return true;
        }

        if (_running.TryGetValue(id, out var running))
        {
            ReleaseRunning(running);
            return true;
        }

        return false;
    }

    /// <summary>Releases a running workload that ended at <paramref name="at"/>; false when it is not running.</summary>
    public bool Finished(string id, DateTimeOffset at)
    {
        if (!_running.TryGetValue(id, out var running))
        {
            return false;
        }

        ReleaseRunning(running);
        Touch(at);
        return true;
    }

    /// <summary>Records a checkpoint of a running workload: preemption prefers victims that lose the least work.</summary>
    public void Checkpointed(string id, DateTimeOffset at)
    {
        if (!_running.TryGetValue(id, out var running))
        {
            throw new KeyNotFoundException($"workload {id} is not running");
        }

        running.LastCheckpoint = at;
    }

    public bool IsPending(string id) => _pending.ContainsKey(id);

    public bool IsRunning(string id) => _running.ContainsKey(id);

    /// <summary>The placement of a running workload, or null when it is not running.</summary>
    public GangPlacement? PlacementOf(string id) => _running.TryGetValue(id, out var e) ? e.Placement : null;

    // ---- status ----------------------------------------------------------------------------------------------------

    public QueueStatus Status(string queue) => StatusOf(QueueOf(queue), _now);

    public IReadOnlyList<QueueStatus> Statuses() => [.. _queues.Values.OrderBy(q => q.Name, StringComparer.Ordinal).Select(q => StatusOf(q, _now))];

    private QueueStatus StatusOf(QueueState queue, DateTimeOffset now)
    {
        var usage = new Dictionary<string, double>(StringComparer.Ordinal);
        var borrowed = new Dictionary<string, double>(StringComparer.Ordinal);
        for (int f = 0; f < _flavours.Count; f++)
        {
            if (queue.Usage[f] != 0 || (queue.Nominal[f] != 0 && queue.Nominal[f] != QueueState.Unlimited))
            {
                usage[_flavours.Name(f)] = ResourceFlavours.FromUnits(f, queue.Usage[f]);
            }

            if (queue.BorrowedOf(f) > 0)
            {
                borrowed[_flavours.Name(f)] = ResourceFlavours.FromUnits(f, queue.BorrowedOf(f));
            }
        }

        var oldest = queue.ByArrival.Count > 0 && now > queue.ByArrival.Min!.Spec.SubmittedAt ? now - queue.ByArrival.Min.Spec.SubmittedAt : TimeSpan.Zero;
        return new QueueStatus(queue.Name, queue.Spec.Tenant, queue.Spec.Cohort, queue.Pending.Count, queue.Running.Count, usage, borrowed,
            FairShare.DominantShare(queue, _flavours.Capacity), oldest);
    }

    // ---- the cycle -------------------------------------------------------------------------------------------------

    /// <summary>Runs one scheduling cycle at <paramref name="now"/>: admits, places, preempts and reserves.</summary>
    public CycleResult RunCycle(DateTimeOffset now)
    {
        long began = _options.TimeProvider.GetTimestamp();
        Touch(now);
        foreach (var queue in _queues.Values)
        {
            FairShare.Decay(queue, _historyAt is { } at ? now - at : TimeSpan.Zero, _options.UsageHalfLife);
        }

        _historyAt = now;
        _failedShapes.Clear();
        _failedList.Clear();
        _estimatesValid = false;
        var started = new List<StartedWorkload>();
        var preemptions = new List<PreemptionDecision>();
        Reservation? reservation;
        try
        {
            reservation = _options.Policy == SchedulingPolicy.Fifo
                ? RunFifo(now, started)
                : RunFairShare(now, started, preemptions);
        }
        finally
        {
            Unhide();
        }

        var statuses = Statuses();
        _metrics?.RecordCycle(_options.TimeProvider.GetElapsedTime(began), started.Count, statuses,
            _placer.Snapshot.GpuCapacityMilli == 0 ? 0 : (double)_placer.Snapshot.GpuAllocatedMilli / _placer.Snapshot.GpuCapacityMilli);
        _lastReservation = reservation;
        return new CycleResult(now, started, preemptions, reservation, statuses);
    }

    private Reservation? RunFifo(DateTimeOffset now, List<StartedWorkload> started)
    {
        int attempts = 0;
        while (_arrival.Count > 0 && attempts++ < _options.MaxAttemptsPerCycle)
        {
            var head = _arrival.Min!;
            head.Queue.Pending.Remove(head);
            if (TryAdmit(head, now, restricted: null) != Outcome.Started)
            {
                head.Queue.Pending.Add(head);
                break; // head-of-line blocking: nothing behind the oldest workload may pass it
            }

            started.Add(new StartedWorkload(head.Id, head.Queue.Name, head.Placement!, Backfilled: false));
        }

        return null;
    }

    private Reservation? RunFairShare(DateTimeOffset now, List<StartedWorkload> started, List<PreemptionDecision> preemptions)
    {
        var order = new PriorityQueue<QueueState, QueueKey>();
        foreach (var queue in _queues.Values)
        {
            if (queue.Pending.Count > 0)
            {
                order.Enqueue(queue, KeyOf(queue));
            }
        }

        var setAside = new List<WorkloadEntry>();
        var quotaMisses = new Dictionary<QueueState, int>();
        Reservation? reservation = null;
        HashSet<int>? reserved = null;
        int attempts = 0;
        int failures = 0;
        int searches = 0;
        while (order.TryDequeue(out var queue, out _)
               && attempts < _options.MaxAttemptsPerCycle
               && failures < _options.MaxConsecutiveFailures)
        {
            var entry = queue.Pending.Min!;
            queue.Pending.Remove(entry);
            attempts++;
            var restricted = reservation is not null && !(entry.EndBoundIfStarted(now) <= reservation.Start) ? reserved : null;
            var outcome = TryAdmit(entry, now, restricted);
            if (outcome != Outcome.Started && _options.Preemption && searches < _options.MaxPreemptionAttemptsPerCycle && entry.FitsCluster)
            {
                searches++;
                outcome = TryPreempt(entry, now, restricted, preemptions, outcome);
            }

            if (outcome == Outcome.QuotaBlocked)
            {
                int misses = quotaMisses.GetValueOrDefault(queue) + 1;
                quotaMisses[queue] = misses;
                if (misses >= _options.MaxQuotaLookahead)
                {
                    setAside.Add(entry);
                    continue; // the queue is done for this cycle
                }
            }
            else
            {
                quotaMisses.Remove(queue);
            }

            if (outcome == Outcome.Started)
            {
                failures = 0;
                started.Add(new StartedWorkload(entry.Id, queue.Name, entry.Placement!, Backfilled: reservation is not null));
            }
            else
            {
                setAside.Add(entry);
                if (outcome == Outcome.CapacityBlocked)
                {
                    failures++;
                    if (reservation is null && entry.FitsCluster)
                    {
                        if (!_options.Backfill)
                        {
                            break; // no backfill: the head keeps everything behind it waiting
                        }

                        (reservation, reserved) = Reserve(entry, now);
                    }
                }
            }

            if (queue.Pending.Count > 0)
            {
                order.Enqueue(queue, KeyOf(queue));
            }
        }

        foreach (var entry in setAside)
        {
            entry.Queue.Pending.Add(entry);
        }

        return reservation;
    }

    private QueueKey KeyOf(QueueState queue)
    {
        var head = queue.Pending.Min!;
        return new QueueKey(FairShare.OrderingShare(queue, _flavours.Capacity), head.Spec.Priority, head.Spec.SubmittedAt, head.Sequence);
    }

    /// <summary>One admission decision, timed whole (quota checks and placement) for the placement latency histogram.</summary>
    private Outcome TryAdmit(WorkloadEntry entry, DateTimeOffset now, HashSet<int>? restricted)
    {
        if (_metrics is null)
        {
            return Admit(entry, now, restricted);
        }

        long began = _options.TimeProvider.GetTimestamp();
        var outcome = Admit(entry, now, restricted);
        _metrics.RecordPlacement(_options.TimeProvider.GetElapsedTime(began));
        return outcome;
    }

    /// <summary>Checks quota, then places; on a quota failure after placement the placement is rolled back.</summary>
    private Outcome Admit(WorkloadEntry entry, DateTimeOffset now, HashSet<int>? restricted)
    {
        if (!entry.FitsCluster)
        {
            return Outcome.CapacityBlocked;
        }

        if (!QuotaMayFit(entry))
        {
            return Outcome.QuotaBlocked;
        }

        var shape = ShapeKey.Of(entry, restricted is not null);
        var snapshot = _placer.Snapshot;
        if (_failedShapes.Contains(shape) || entry.GpuMilli > snapshot.GpuCapacityMilli - snapshot.GpuAllocatedMilli || DominatedByFailure(shape))
        {
            return Outcome.CapacityBlocked;
        }

        var placement = PlaceAvoiding(entry.Gang, restricted);
        if (placement is null)
        {
            _failedShapes.Add(shape);
            if (_failedList.Count < MaxFailedShapesCompared)
            {
                _failedList.Add(shape);
            }

            return Outcome.CapacityBlocked;
        }

        var usage = UsageOf(entry, placement);
        if (!QuotaLedger.Fits(entry.Queue, usage))
        {
            _placer.Release(entry.Gang, placement);
            return Outcome.QuotaBlocked;
        }

        RemovePendingIndexes(entry);
        AddRunning(entry, placement, usage, now);
        return Outcome.Started;
    }

    /// <summary>How many of a cycle's failed shapes an attempt is compared with for dominance.</summary>
    private const int MaxFailedShapesCompared = 128;

    // Capacity only shrinks within a cycle (nothing ends), so a shape at least as demanding as one that already failed
    // to place this cycle fails too: as many replicas or more, each asking at least as much, of no more GPU models, at
    // least as tightly bound in topology, and avoiding the reservation if the failed one did. Skipping those saves the
    // placer's walks on a mixed fleet where many distinct shapes fail for the same reason.
    private bool DominatedByFailure(ShapeKey shape)
    {
        foreach (var failed in _failedList)
        {
            if (shape.Replicas >= failed.Replicas
                && shape.Cpu >= failed.Cpu
                && shape.Memory >= failed.Memory
                && shape.Gpus >= failed.Gpus
                && (shape.Gpus == 0 || failed.Gpus == 0 || shape.GpuMilli >= failed.GpuMilli)
                && (shape.Models & ~failed.Models) == 0
                && shape.RequiredLevel <= failed.RequiredLevel
                && (shape.Restricted || !failed.Restricted)
                && shape.Spread == failed.Spread)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Places the gang with the <paramref name="avoid"/> nodes unschedulable (backfill off the reservation).</summary>
    private GangPlacement? PlaceAvoiding(GangRequest gang, HashSet<int>? avoid)
    {
        Hide(avoid);
        return _placer.TryPlace(gang);
    }

    // Hiding the reserved nodes costs two aggregate updates per node; most attempts after a reservation avoid the same
    // set, so the nodes stay hidden across consecutive restricted attempts and come back only when an attempt may use
    // them, or at the end of the cycle.
    private void Hide(HashSet<int>? avoid)
    {
        if (ReferenceEquals(avoid, _hiddenFor))
        {
            return;
        }

        Unhide();
        if (avoid is null)
        {
            return;
        }

        foreach (int node in avoid)
        {
            if (_placer.IsSchedulable(node))
            {
                _placer.SetSchedulable(node, false);
                _hidden.Add(node);
            }
        }

        _hiddenFor = avoid;
    }

    private void Unhide()
    {
        foreach (int node in _hidden)
        {
            _placer.SetSchedulable(node, true);
        }

        _hidden.Clear();
        _hiddenFor = null;
    }

    /// <summary>A cheap necessary condition before placing: CPU and memory fit, and some allowed GPU model has room.</summary>
    private bool QuotaMayFit(WorkloadEntry entry)
    {
        var demand = _scratch;
        Array.Clear(demand);
        var gang = entry.Gang;
        demand[ResourceFlavours.Cpu] = (long)gang.Replicas * gang.Replica.CpuMilli;
        demand[ResourceFlavours.Memory] = (long)gang.Replicas * gang.Replica.MemoryMib;
        if (entry.GpuMilli == 0)
        {
            return QuotaLedger.Fits(entry.Queue, demand);
        }

        for (int m = 0; m < _flavours.Count - ResourceFlavours.FirstGpu; m++)
        {
            if ((entry.ModelMask & (1UL << m)) == 0)
            {
                continue;
            }

            demand[ResourceFlavours.FirstGpu + m] = entry.GpuMilli;
            bool fits = QuotaLedger.Fits(entry.Queue, demand);
            demand[ResourceFlavours.FirstGpu + m] = 0;
            if (fits)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The quota usage of a placement: CPU and memory of every replica, GPUs by the model of the node each landed on.</summary>
    private long[] UsageOf(WorkloadEntry entry, GangPlacement placement)
    {
        var usage = new long[_flavours.Count];
        var replica = entry.Gang.Replica;
        var snapshot = _placer.Snapshot;
        foreach (var binding in placement.Replicas)
        {
            usage[ResourceFlavours.Cpu] += replica.CpuMilli;
            usage[ResourceFlavours.Memory] += replica.MemoryMib;
            usage[ResourceFlavours.FirstGpu + snapshot.ModelOf(binding.Node)] += (long)binding.GpuCount * replica.GpuMilli;
        }

        return usage;
    }

    // ---- bookkeeping -----------------------------------------------------------------------------------------------

    private WorkloadEntry NewEntry(PendingWorkload workload, QueueState queue)
    {
        var snapshot = _placer.Snapshot;
        var replica = workload.Gang.Replica;
        ulong mask = replica.GpuCount == 0 ? ulong.MaxValue : snapshot.ModelMask(replica.GpuModels);
        bool fits = false;
        long gpuCapacity = 0;
        for (int m = 0; m < _largestNode.Length; m++)
        {
            if ((mask & (1UL << m)) == 0 && replica.GpuCount > 0)
            {
                continue;
            }

            var largest = _largestNode[m];
            fits |= largest.Cpu >= replica.CpuMilli && largest.Memory >= replica.MemoryMib && largest.Gpus >= replica.GpuCount;
            gpuCapacity += _flavours.Capacity[ResourceFlavours.FirstGpu + m];
        }

        fits &= workload.Gang.GpuMilliTotal <= gpuCapacity;
        return new WorkloadEntry(workload, ++_sequence, queue, mask, fits);
    }

    private void AddPending(WorkloadEntry entry)
    {
        _pending[entry.Id] = entry;
        entry.Queue.Pending.Add(entry);
        entry.Queue.ByArrival.Add(entry);
        _arrival.Add(entry);
        _estimatesValid = false;
    }

    private void RemovePending(WorkloadEntry entry)
    {
        entry.Queue.Pending.Remove(entry);
        RemovePendingIndexes(entry);
    }

    /// <summary>Removes every pending index but the queue's service order (a cycle holds the entry out of it while trying it).</summary>
    private void RemovePendingIndexes(WorkloadEntry entry)
    {
        _pending.Remove(entry.Id);
        entry.Queue.ByArrival.Remove(entry);
        _arrival.Remove(entry);
    }

    private void AddRunning(WorkloadEntry entry, GangPlacement placement, long[] usage, DateTimeOffset startedAt)
    {
        entry.Placement = placement;
        entry.Usage = usage;
        entry.StartedAt = startedAt;
        entry.ExpectedEnd = startedAt + (entry.Spec.RuntimeEstimate ?? entry.Spec.RuntimeLimit ?? _options.DefaultRuntimeEstimate);
        QuotaLedger.Add(entry.Queue, usage, +1);
        _running[entry.Id] = entry;
        entry.Queue.Running.Add(entry);
        _runningByEnd.Add(entry);
        _estimatesValid = false;
    }

    /// <summary>Gives a running workload's capacity and quota back and forgets it.</summary>
    private void ReleaseRunning(WorkloadEntry entry)
    {
        _placer.Release(entry.Gang, entry.Placement!);
        ForgetRunning(entry);
    }

    /// <summary>Forgets a running workload whose capacity was already released through the placer.</summary>
    private void ForgetRunning(WorkloadEntry entry)
    {
        QuotaLedger.Add(entry.Queue, entry.Usage!, -1);
        _running.Remove(entry.Id);
        entry.Queue.Running.Remove(entry);
        _runningByEnd.Remove(entry);
        _failedShapes.Clear();
        _failedList.Clear();
        _estimatesValid = false;
    }

    private QueueState QueueOf(string name) =>
        _queues.TryGetValue(name, out var queue) ? queue : throw new KeyNotFoundException($"queue '{name}' is not configured");

    private void Touch(DateTimeOffset at)
    {
        if (at > _now)
        {
            _now = at;
        }
    }

    private enum Outcome
    {
        Started,
        QuotaBlocked,
        CapacityBlocked,
    }

    /// <summary>Fair-share order of queues: lowest weighted dominant share, then the head's priority, arrival and sequence.</summary>
    private readonly record struct QueueKey(double Share, int Priority, DateTimeOffset SubmittedAt, long Sequence) : IComparable<QueueKey>
    {
        public int CompareTo(QueueKey other)
        {
            int c = Share.CompareTo(other.Share);
            if (c == 0)
            {
                c = other.Priority.CompareTo(Priority);
            }

            if (c == 0)
            {
                c = SubmittedAt.CompareTo(other.SubmittedAt);
            }

            return c != 0 ? c : Sequence.CompareTo(other.Sequence);
        }
    }

    /// <summary>
    /// What placement sees of a gang: within one cycle capacity only shrinks (until a release), so a shape that failed
    /// once fails again and is not placed twice.
    /// </summary>
    /// <param name="RequiredLevel">The tightest required topology level (int.MaxValue when none): lower is harder to place.</param>
    /// <param name="Spread">The gang's spread level + 1 (0 without spread): spread gangs only compare with their own kind.</param>
    private readonly record struct ShapeKey(int Replicas, int Cpu, int Memory, int Gpus, int GpuMilli, ulong Models, int Topology, bool Restricted, int RequiredLevel, int Spread)
    {
        public static ShapeKey Of(WorkloadEntry entry, bool restricted)
        {
            var gang = entry.Gang;
            var r = gang.Replica;
            int topology = 0;
            int required = int.MaxValue;
            foreach (var t in gang.Topology)
            {
                // 4 bits per requirement (level 0..4, mode 0..1, never 0) and at most one per level: exact, no collisions.
                topology = (topology << 4) | (((int)t.Level * 2) + (int)t.Mode + 1);
                if (t.Mode == TopologyMode.Required)
                {
                    required = Math.Min(required, (int)t.Level);
                }
            }

            int spread = gang.Spread is { } level ? (int)level + 1 : 0;
            return new ShapeKey(gang.Replicas, r.CpuMilli, r.MemoryMib, r.GpuCount, r.GpuMilli, entry.ModelMask, topology, restricted, required, spread);
        }
    }
}
