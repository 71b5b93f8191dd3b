using NeoCloud.Scheduling.Fairness;
using NeoCloud.Scheduling.Queues;

namespace NeoCloud.Scheduling.Cycles;

// Estimated start of every pending workload: an aggregate list-scheduling simulation over the cluster's GPU capacity.
// Pending work is taken in the order cycles serve it (queues merged by projected weighted share, each queue by priority
// and arrival); each starts when the capacity freed by earlier ends (running workloads, then simulated starts) covers it.
// Computed lazily once per change of state, O(P log P) for P pending, never O(P × nodes).
public sealed partial class ClusterScheduler
{
    private Dictionary<string, DateTimeOffset?>? _estimates;

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

        if (!_pending.ContainsKey(id))
        {
            throw new KeyNotFoundException($"workload {id} is neither pending nor running");
        }

        _estimates ??= ComputeEstimates(_now);
        return _estimates[id];
    }

    private Dictionary<string, DateTimeOffset?> ComputeEstimates(DateTimeOffset now)
    {
        var result = new Dictionary<string, DateTimeOffset?>(_pending.Count, StringComparer.Ordinal);
        var snapshot = _placer.Snapshot;
        long capacity = snapshot.GpuCapacityMilli;
        long free = capacity - snapshot.GpuAllocatedMilli;
        var time = now;
        using var runningEnds = _runningByEnd.GetEnumerator();
        bool moreRunning = runningEnds.MoveNext();
        var simulatedEnds = new PriorityQueue<long, DateTimeOffset>();

        var order = new PriorityQueue<(QueueState Queue, IEnumerator<WorkloadEntry> Next), (double Share, int Priority, DateTimeOffset Arrival, long Sequence)>();
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
            if (!entry.FitsCluster || !QuotaCouldEverFit(entry))
            {
                result[entry.Id] = null;
            }
            else
            {
                long need = entry.GpuMilli;
                while (free < need)
                {
                    bool takeRunning = moreRunning && (simulatedEnds.Count == 0 || (simulatedEnds.TryPeek(out _, out var firstSimulated) && runningEnds.Current.ExpectedEnd <= firstSimulated));
                    if (takeRunning)
                    {
                        var ended = runningEnds.Current;
                        time = Later(time, ended.ExpectedEnd);
                        free += ended.GpuMilli;
                        moreRunning = runningEnds.MoveNext();
                    }
                    else if (simulatedEnds.TryDequeue(out long released, out var end))
                    {
                        time = Later(time, end);
                        free += released;
                    }
                    else
                    {
                        break; // nothing left to end: the free count already is the whole cluster
                    }
                }

                var start = time;
                if (_lastReservation is { } r && r.WorkloadId == entry.Id && r.Start > start)
                {
                    start = r.Start;
                }

                result[entry.Id] = start;
                free -= need;
                simulatedEnds.Enqueue(need, start + (entry.Spec.RuntimeEstimate ?? entry.Spec.RuntimeLimit ?? _options.DefaultRuntimeEstimate));
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

        return result;

        static (double, int, DateTimeOffset, long) Key(double share, WorkloadEntry head) => (share, -head.Spec.Priority, head.Spec.SubmittedAt, head.Sequence);

        static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
    }

    /// <summary>Whether the queue could ever hold the workload: within nominal plus borrowing limit (and what the cohort could lend at most).</summary>
    private bool QuotaCouldEverFit(WorkloadEntry entry)
    {
        var queue = entry.Queue;
        var gang = entry.Gang;
        if (!Within(ResourceFlavours.Cpu, (long)gang.Replicas * gang.Replica.CpuMilli)
            || !Within(ResourceFlavours.Memory, (long)gang.Replicas * gang.Replica.MemoryMib))
        {
            return false;
        }

        if (entry.GpuMilli == 0)
        {
            return true;
        }

        for (int m = 0; m < _flavours.Count - ResourceFlavours.FirstGpu; m++)
        {
            if ((entry.ModelMask & (1UL << m)) != 0 && Within(ResourceFlavours.FirstGpu + m, entry.GpuMilli))
            {
                return true;
            }
        }

        return false;

        bool Within(int f, long demand)
        {
            if (demand == 0)
            {
                return true;
            }

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

            long most = queue.Nominal[f] + Math.Min(queue.BorrowingLimit[f], lendable);
            return demand <= most;
        }
    }
}
