using NeoCloud.Scheduling.Cycles;

namespace NeoCloud.Scheduling.Queues;

/// <summary>One queue's live state: its quota in flavour units, usage, decayed usage history and its workloads in order.</summary>
internal sealed class QueueState
{
    public QueueState(QueueSpec spec, ResourceFlavours flavours)
    {
        int n = flavours.Count;
        Nominal = new long[n];
        BorrowingLimit = new long[n];
        LendingLimit = new long[n];
        Guaranteed = new long[n];
        Usage = new long[n];
        History = new double[n];
        Spec = spec;
        SetSpec(spec, flavours);
    }

    /// <summary>The nominal of a flavour the queue does not ration: far above any cluster, far below overflow.</summary>
    public const long Unlimited = long.MaxValue / 4;

    public QueueSpec Spec { get; private set; }

    public string Name => Spec.Name;

    public CohortState? Cohort { get; set; }

    public long[] Nominal { get; }

    /// <summary>Most it may use above nominal; <see cref="long.MaxValue"/> when unlimited.</summary>
    public long[] BorrowingLimit { get; }

    public long[] LendingLimit { get; }

    public long[] Guaranteed { get; }

    public long[] Usage { get; }

    /// <summary>Usage averaged with an exponential decay of the configured half-life (the fair-share memory).</summary>
    public double[] History { get; }

    /// <summary>Pending workloads in service order: priority (higher first), then arrival.</summary>
    public SortedSet<WorkloadEntry> Pending { get; } = new(WorkloadEntry.ServiceOrder);

    /// <summary>Pending workloads by arrival, for the oldest wait.</summary>
    public SortedSet<WorkloadEntry> ByArrival { get; } = new(WorkloadEntry.ArrivalOrder);

    /// <summary>Running workloads, cheapest to preempt first (lowest priority, then most recently started).</summary>
    public SortedSet<WorkloadEntry> Running { get; } = new(WorkloadEntry.VictimOrder);

    public void SetSpec(QueueSpec spec, ResourceFlavours flavours)
    {
        Spec = spec;
        Array.Clear(Nominal);
        Array.Clear(LendingLimit);
        Array.Clear(Guaranteed);
        Array.Fill(BorrowingLimit, spec.Cohort is null ? 0 : long.MaxValue);

        // CPU and memory are limited only when the queue lists them (most queues ration GPUs only); they are then
        // never lent, because an unlimited amount cannot be. A GPU model not listed has nominal 0.
        Nominal[ResourceFlavours.Cpu] = Nominal[ResourceFlavours.Memory] = Unlimited;
        Guaranteed[ResourceFlavours.Cpu] = Guaranteed[ResourceFlavours.Memory] = 0;
        foreach (var quota in spec.Quotas)
        {
            int f = flavours.IndexOf(quota.Flavour);
            if (f < 0)
            {
                continue; // a GPU model this cluster does not have: nothing can be placed on it here
            }

            Nominal[f] = ResourceFlavours.ToUnits(f, quota.Nominal);
            LendingLimit[f] = ResourceFlavours.ToUnits(f, quota.LendingLimit ?? quota.Nominal);
            Guaranteed[f] = ResourceFlavours.ToUnits(f, quota.GuaranteedOrNominal);
            BorrowingLimit[f] = spec.Cohort is null ? 0 : quota.BorrowingLimit is { } b ? ResourceFlavours.ToUnits(f, b) : long.MaxValue;
        }
    }

    public long BorrowedOf(int f) => Math.Max(0, Usage[f] - Nominal[f]);

    public long LendableOf(int f) => Math.Min(LendingLimit[f], Math.Max(0, Nominal[f] - Usage[f]));

    public bool IsBorrowing()
    {
        for (int f = 0; f < Usage.Length; f++)
        {
            if (Usage[f] > Nominal[f])
            {
                return true;
            }
        }

        return false;
    }
}
