using NeoCloud.Scheduling.Fragmentation;
using NeoCloud.Scheduling.Gangs;
using NeoCloud.Scheduling.Placement;
using NeoCloud.Scheduling.Topology;

namespace NeoCloud.Scheduling.Openb;

/// <summary>
/// The openb placement protocol of the ATC'23 fragmentation artifact (FACTS.md): shuffle the pods (seeded), append
/// clones drawn with replacement until the first draw whose GPU request would pass inflation × capacity, place each
/// task once in that order through our placement pipeline, and report the allocation rate per arrival percent.
/// </summary>
public static class OpenbProtocol
{
    /// <summary>
    /// The policy name that runs the protocol through the job flow's <see cref="TopologyGangPlacer"/> with our scoring
    /// (<see cref="FragmentationScorer"/>) as the host runs it — each task a gang of one; the openb nodes have no fabric,
    /// so each is its own leaf — instead of the single-task pipeline.
    /// </summary>
    public const string GangPlacerPolicy = "gang-placer";

    public static OpenbResult Run(IReadOnlyList<NodeCapacity> nodes, IReadOnlyList<OpenbTask> tasks, OpenbOptions options, CancellationToken cancellationToken = default)
    {
        if (options.Inflation <= 0 || double.IsNaN(options.Inflation))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "inflation must be positive");
        }

        bool gangPlacer = string.Equals(options.Policy, GangPlacerPolicy, StringComparison.OrdinalIgnoreCase);
        var placer = gangPlacer
            ? new TopologyGangPlacer(new ClusterTopology([.. nodes.Select(n => new TopologyNode(n, n.Name, n.Name, "openb", "openb"))]))
            : null;
        var snapshot = placer?.Snapshot ?? new ClusterSnapshot(nodes);
        var random = new Random(options.Seed);
        var arrivals = Arrivals(tasks, options.Inflation, snapshot.GpuCapacityMilli, random);
        var typical = TypicalTasks.From(tasks.Select(t => t.Request));
        if (placer is not null)
        {
            placer.Scorer = new FragmentationScorer(snapshot, typical);
            placer.ScorerCandidates = options.Candidates;
        }

        var policy = gangPlacer ? null : PlacementPolicies.Create(options.Policy, snapshot, typical);
        var pipeline = policy is null ? null : new PlacementPipeline(snapshot, policy, random.Next());

        const int Levels = OpenbResult.MaxArrivalPercent + 1;
        var sum = new double[Levels];
        var count = new int[Levels];
        long arrived = 0;
        double capacity = snapshot.GpuCapacityMilli;
        int placed = 0, failed = 0, unplaceable = 0;
        double? firstFailure = null;
        foreach (var task in arrivals)
        {
            if ((placed + failed) % 1024 == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            arrived += task.Request.GpuMilliTotal;
            bool done = pipeline is not null
                ? pipeline.Place(task.Request) is not null
                : placer!.TryPlace(new GangRequest(task.Name, 1, task.Request, [])) is not null;
            if (!done)
            {
                failed++;
                if (!FitsAnEmptyNode(snapshot, snapshot.Resolve(task.Request)))
                {
                    unplaceable++;
                }
                else
                {
                    firstFailure ??= capacity > 0 ? arrived * 100.0 / capacity : 0;
                }
            }
            else
            {
                placed++;
            }

            int level = capacity > 0 ? (int)Math.Round(arrived * 100.0 / capacity, MidpointRounding.AwayFromZero) : 0;
            if (level is >= 0 and < Levels)
            {
                sum[level] += snapshot.GpuAllocatedMilli * 100.0 / capacity;
                count[level]++;
            }
        }

        var rates = new double?[Levels];
        for (int x = 0; x < Levels; x++)
        {
            rates[x] = count[x] > 0 ? sum[x] / count[x] : null;
        }

        return new OpenbResult(rates, placed, failed, tasks.Count, arrivals.Count - tasks.Count, snapshot.GpuCapacityMilli, snapshot.GpuAllocatedMilli, policy?.Name ?? GangPlacerPolicy, options.Seed, firstFailure, unplaceable);
    }

    /// <summary>True when some node of the cluster, were it empty, could host the request (GPU model, count, CPU, memory).</summary>
    internal static bool FitsAnEmptyNode(ClusterSnapshot snapshot, in ResolvedRequest request)
    {
        for (int node = 0; node < snapshot.NodeCount; node++)
        {
            if (snapshot.CpuCapacity(node) >= request.CpuMilli
                && snapshot.MemoryCapacity(node) >= request.MemoryMib
                && (request.GpuCount == 0
                    || (snapshot.GpuCount(node) >= request.GpuCount && (request.ModelMask & (1UL << snapshot.ModelOf(node))) != 0)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The arrival order: the originals shuffled, then clones drawn uniformly with replacement until the first draw that would pass inflation × capacity.</summary>
    internal static List<OpenbTask> Arrivals(IReadOnlyList<OpenbTask> tasks, double inflation, long capacityMilli, Random random)
    {
        var order = new List<OpenbTask>(tasks);
        for (int i = order.Count - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }

        long total = order.Sum(t => t.Request.GpuMilliTotal);
        double limit = inflation * capacityMilli;
        bool anyGpu = tasks.Any(t => t.Request.GpuMilliTotal > 0);
        while (anyGpu && total <= limit)
        {
            var clone = tasks[random.Next(tasks.Count)];
            if (total + clone.Request.GpuMilliTotal > limit)
            {
                break;
            }

            total += clone.Request.GpuMilliTotal;
            order.Add(clone);
        }

        return order;
    }
}
