using NeoCloud.Scheduling.Fairness;
using NeoCloud.Scheduling.Queues;

namespace NeoCloud.Scheduling.Cycles;

// Estimated start of every pending workload: an aggregate list-scheduling simulation over the cluster's GPU capacity,
// kept per GPU model so a pinned job waits for its model.
// Pending work is taken in the order cycles serve it (queues merged by projected weighted share, each queue by priority
// and arrival); each starts when the capacity freed by earlier ends (running workloads, then simulated starts) covers it.
// Computed lazily once per change of state, O(P log P) for P pending, never O(P × nodes).
public sealed partial class ClusterScheduler
{
    // Estimates live on the entries; the flag says whether they still describe the current state.
    private bool _estimatesValid;

    /// <summary>
    /// When a pending workload is expected to start (its start time if already running); null only when it can never run
    /// here: it fits no node, is bigger than the cluster's GPUs of its models, or than its queue could ever be given.
    /// </summary>
    public DateTimeOffset? EstimatedStart(string id)
    {
        if (_running.TryGetValue(id, out var running))
        {
            return running.StartedAt;
        }

        if (!_pending.TryGetValue(id, out var pending))
        {
            throw new KeyNotFoundException($"workload {id} is neither pending nor running");
        }

        if (!_estimatesValid)
        {
            ComputeEstimates(_now);
            _estimatesValid = true;
        }

        return pending.EstimatedStart;
    }

    private void ComputeEstimates(DateTimeOffset now)
    {
        var ceilings = new Dictionary<QueueState, long[]>();
        var snapshot = _placer.Snapshot;
        long capacity = snapshot.GpuCapacityMilli;

        // Free GPU milli per model on the nodes that take work: a job pinned to one model waits for that model's
        // capacity, not for any GPU of the fleet.
        int models = snapshot.GpuModels.Count;
        var free = new long[models];
        for (int node = 0; node < snapshot.NodeCount; node++)
        {
            if (_placer.IsSchedulable(node))
            {
                free[snapshot.ModelOf(node)] += snapshot.GpuFreeTotal(node);
            }
        }

        long time = now.UtcTicks; // the simulation runs on UTC ticks: cheaper to compare than DateTimeOffset

        // When each model's free capacity last grew: a job starts once the models it takes from have freed enough, so
        // within a model nothing overtakes, while a job pinned to an idle model does not wait behind another model's queue.
        var releasedAt = new long[models];
        Array.Fill(releasedAt, time);
        using var runningEnds = _runningByEnd.GetEnumerator();
        bool moreRunning = runningEnds.MoveNext();
        var simulatedEnds = new PriorityQueue<long[], long>();

        var order = new PriorityQueue<(QueueState Queue, IEnumerator<WorkloadEntry> Next), QueueKey>();
        var projected = new Dictionary<QueueState, double>();
        foreach (var queue in _queues.Values)
        {
            if (queue.Pending.Count == 0)
            {
                continue;
            }

            var next = queue.Pending.GetEnumerator();
            next.MoveNext();
            double share = FairShare.DominantShare(queue, _flavours.Capacity);
            projected[queue] = share;
            order.Enqueue((queue, next), Key(share, next.Current));
        }

        while (order.TryDequeue(out var item, out _))
        {
            var entry = item.Next.Current;
            if (!ceilings.TryGetValue(entry.Queue, out var ceiling))
            {
                ceiling = QuotaCeiling(entry.Queue);
                ceilings[entry.Queue] = ceiling;
            }

            if (!entry.FitsCluster || !QuotaCouldEverFit(entry, ceiling))
            {
                entry.EstimatedStart = null;
            }
            else
            {
                long need = entry.GpuMilli;
                while (Available(free, entry.ModelMask) < need)
                {
                    bool takeRunning = moreRunning && (simulatedEnds.Count == 0 || (simulatedEnds.TryPeek(out _, out var firstSimulated) && runningEnds.Current.ExpectedEnd.UtcTicks <= firstSimulated));
                    if (takeRunning)
                    {
                        var ended = runningEnds.Current;
                        time = Math.Max(time, ended.ExpectedEnd.UtcTicks);
                        ReleaseRunning(free, releasedAt, time, ended, snapshot);
                        moreRunning = runningEnds.MoveNext();
                    }
                    else if (simulatedEnds.TryDequeue(out long[]? released, out var end))
                    {
                        time = Math.Max(time, end);
                        for (int m = 0; m < models; m++)
                        {
                            if (released[m] > 0)
                            {
                                free[m] += released[m];
                                releasedAt[m] = Math.Max(releasedAt[m], time);
                            }
                        }
                    }
                    else
                    {
                        break; // nothing left to end: the free counts already are the whole cluster's
                    }
                }

                var taken = need > 0 ? Take(free, entry.ModelMask, need) : null;
                long start = now.UtcTicks;
                for (int m = 0; taken is not null && m < models; m++)
                {
                    if (taken[m] > 0)
                    {
                        start = Math.Max(start, releasedAt[m]);
                    }
                }

                if (_lastReservation is { } r && r.WorkloadId == entry.Id && r.Start.UtcTicks > start)
                {
                    start = r.Start.UtcTicks;
                }

                entry.EstimatedStart = new DateTimeOffset(start, TimeSpan.Zero);
                if (taken is not null)
                {
                    simulatedEnds.Enqueue(taken, start + (entry.Spec.RuntimeEstimate ?? entry.Spec.RuntimeLimit ?? _options.DefaultRuntimeEstimate).Ticks);
                }

                projected[item.Queue] += (double)need / Math.Max(1, capacity) / item.Queue.Spec.Weight;
            }

            if (item.Next.MoveNext())
            {
                order.Enqueue(item, Key(projected[item.Queue], item.Next.Current));
            }
            else
            {
                item.Next.Dispose();
            }
        }

        static QueueKey Key(double share, WorkloadEntry head) => new(share, head.Spec.Priority, head.Spec.SubmittedAt, head.Sequence);
    }

    private static long Available(long[] free, ulong mask)
    {
        long sum = 0;
        for (int m = 0; m < free.Length; m++)
        {
            if ((mask & (1UL << m)) != 0)
            {
                sum += free[m];
            }
        }

        return sum;
    }

    // Takes the milli from the allowed models with the most free first (where a real placement most likely lands), and
    // returns what was taken per model so the simulated end gives it back to the same models.
    private static long[] Take(long[] free, ulong mask, long need)
    {
        var taken = new long[free.Length];
        while (need > 0)
        {
            int best = -1;
            for (int m = 0; m < free.Length; m++)
            {
                if ((mask & (1UL << m)) != 0 && free[m] > 0 && (best < 0 || free[m] > free[best]))
                {
                    best = m;
                }
            }

            if (best < 0)
            {
                break; // more than is free even after every end: the estimate already says "when everything has ended"
            }

            long amount = Math.Min(need, free[best]);
            free[best] -= amount;
            taken[best] += amount;
            need -= amount;
        }

        return taken;
    }

    private static void ReleaseRunning(long[] free, long[] releasedAt, long at, WorkloadEntry ended, Placement.ClusterSnapshot snapshot)
    {
        if (ended.Placement is not { } placement)
        {
            return;
        }

        int milli = ended.Gang.Replica.GpuMilli;
        foreach (var binding in placement.Replicas)
        {
            int model = snapshot.ModelOf(binding.Node);
            free[model] += (long)binding.GpuCount * milli;
            releasedAt[model] = Math.Max(releasedAt[model], at);
        }
    }

    /// <summary>The most of each flavour the queue could ever be given: nominal plus borrowing limit, capped by what the rest of its cohort could lend.</summary>
    private long[] QuotaCeiling(QueueState queue)
    {
        var most = new long[_flavours.Count];
        for (int f = 0; f < most.Length; f++)
        {
            long lendable = 0;
            if (queue.Cohort is { } cohort)
            {
                foreach (var member in cohort.Members)
                {
                    if (member != queue)
                    {
                        lendable += member.LendingLimit[f];
                    }
                }
            }

            most[f] = queue.Nominal[f] + Math.Min(queue.BorrowingLimit[f], lendable);
        }

        return most;
    }

    /// <summary>Whether the workload fits under the queue's ceiling: CPU, memory and at least one allowed GPU model.</summary>
    private bool QuotaCouldEverFit(WorkloadEntry entry, long[] ceiling)
    {
        var gang = entry.Gang;
        if ((long)gang.Replicas * gang.Replica.CpuMilli > ceiling[ResourceFlavours.Cpu]
            || (long)gang.Replicas * gang.Replica.MemoryMib > ceiling[ResourceFlavours.Memory])
        {
            return false;
        }

        if (entry.GpuMilli == 0)
        {
            return true;
        }

        for (int m = 0; m < _flavours.Count - ResourceFlavours.FirstGpu; m++)
        {
            if ((entry.ModelMask & (1UL << m)) != 0 && entry.GpuMilli <= ceiling[ResourceFlavours.FirstGpu + m])
            {
                return true;
            }
        }

        return false;
    }
}
