using NeoCloud.Scheduling.Cycles;
using NeoCloud.Scheduling.Gangs;
using NeoCloud.Scheduling.Placement;
using NeoCloud.Scheduling.Queues;
using NeoCloud.Scheduling.Tests.Fakes;

namespace NeoCloud.Scheduling.Tests.Cycles;

/// <summary>Small builders for scheduler tests: nodes, queues and workloads in GPUs and minutes.</summary>
internal static class Work
{
    public const string Model = "H100-SXM5";

    public static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static DateTimeOffset At(double minutes) => T0.AddMinutes(minutes);

    public static List<NodeCapacity> Nodes(int count, int gpus = 8, string model = Model) =>
        [.. Enumerable.Range(0, count).Select(i => new NodeCapacity($"n{i}", 64_000, 512 * 1024, gpus, model))];

    public static (ClusterScheduler Scheduler, FirstFitGangPlacer Placer) Scheduler(int nodes, SchedulerOptions? options = null, int gpus = 8)
    {
        var placer = new FirstFitGangPlacer(Nodes(nodes, gpus));
        return (new ClusterScheduler(placer, options ?? new SchedulerOptions()), placer);
    }

    public static QueueSpec Queue(string name, double gpus, string? cohort = null, double? borrow = null, double? lend = null,
        double? guaranteed = null, double weight = 1) =>
        new(name, "acme", cohort, weight, null, [new FlavourQuota(Model, gpus, borrow, lend, guaranteed)]);

    public static PendingWorkload Job(string id, string queue, int replicas = 1, int gpus = 1, int priority = 0, bool preemptible = true,
        double at = 0, double? estimateMinutes = null, double? limitMinutes = null, double minRuntimeMinutes = 0, int gpuMilli = 1000) =>
        new(id, queue, priority, preemptible,
            new GangRequest(id, replicas, new PlacementRequest(1000, 1024, gpus, gpus == 0 ? 0 : gpuMilli), []),
            At(at),
            estimateMinutes is { } e ? TimeSpan.FromMinutes(e) : null,
            limitMinutes is { } l ? TimeSpan.FromMinutes(l) : null,
            TimeSpan.FromMinutes(minRuntimeMinutes));

    public static IReadOnlyList<string> StartedIds(this CycleResult result) => [.. result.Started.Select(s => s.Id)];
}
