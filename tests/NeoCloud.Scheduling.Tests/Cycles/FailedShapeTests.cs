using NeoCloud.Scheduling.Cycles;
using NeoCloud.Scheduling.Gangs;
using NeoCloud.Scheduling.Topology;
using static NeoCloud.Scheduling.Tests.Cycles.Work;

namespace NeoCloud.Scheduling.Tests.Cycles;

public sealed class FailedShapeTests
{
    [Fact]
    public void A_gang_at_least_as_demanding_as_one_that_failed_this_cycle_does_not_reach_the_placer()
    {
        // Same scenario twice; only the second gang differs: asking more CPU than the failed one (dominated, skipped)
        // or less (not dominated, tried). Either way it cannot be placed; the dominated one costs one placer call less.
        int dominated = PlacerCallsWithSecondGangCpu(2_000);
        int notDominated = PlacerCallsWithSecondGangCpu(500);

        Assert.Equal(notDominated - 1, dominated);
    }

    [Fact]
    public void A_smaller_gang_than_one_that_failed_is_still_tried_and_placed()
    {
        var (scheduler, _) = Scheduler(4, new SchedulerOptions { Preemption = false });
        scheduler.Configure(Queue("a", 32));
        Fill(scheduler);
        scheduler.Submit(Job("two-nodes", "a", replicas: 2, gpus: 8, at: 1));
        scheduler.Submit(Job("one-node", "a", replicas: 1, gpus: 8, at: 2, estimateMinutes: 30));

        var result = scheduler.RunCycle(At(5));

        Assert.Equal(["one-node"], result.StartedIds());
    }

    [Fact]
    public void A_spread_gang_that_failed_does_not_stop_the_same_shape_without_spread()
    {
        // Two nodes in one leaf: two replicas spread by leaf cannot be placed, the same two replicas unspread can.
        var placer = new TopologyGangPlacer(SyntheticTopology.Build(2, 8, 2, 1, 1, Model));
        var scheduler = new ClusterScheduler(placer, new SchedulerOptions { Preemption = false });
        scheduler.Configure(Queue("a", 16));
        scheduler.Configure(Queue("b", 16));
        var spread = Job("spread", "a", replicas: 2, gpus: 1);
        scheduler.Submit(spread with { Gang = spread.Gang with { Spread = SpreadLevel.Leaf } });
        scheduler.Submit(Job("plain", "b", replicas: 2, gpus: 1, at: 1));

        var result = scheduler.RunCycle(At(5));

        Assert.Equal(["plain"], result.StartedIds());
        Assert.True(scheduler.IsPending("spread"));
    }

    // Four 8-GPU nodes; three 5-GPU jobs leave 17 GPUs free but only one whole node, so a 2 × 8 GPU gang passes the
    // free-capacity check and fails in the placer.
    private static int PlacerCallsWithSecondGangCpu(int cpuMilli)
    {
        var (scheduler, placer) = Scheduler(4, new SchedulerOptions { Preemption = false });
        scheduler.Configure(Queue("a", 32));
        scheduler.Configure(Queue("b", 32));
        Fill(scheduler);
        scheduler.Submit(Job("first", "b", replicas: 2, gpus: 8, at: 1));
        var second = Job("second", "b", replicas: 2, gpus: 8, at: 2);
        scheduler.Submit(second with { Gang = second.Gang with { Replica = second.Gang.Replica with { CpuMilli = cpuMilli } } });
        int before = placer.TryPlaceCalls;

        var result = scheduler.RunCycle(At(5));

        Assert.Empty(result.Started);
        return placer.TryPlaceCalls - before;
    }

    private static void Fill(ClusterScheduler scheduler)
    {
        for (int i = 0; i < 3; i++)
        {
            scheduler.Submit(Job($"r{i}", "a", gpus: 5, at: -1, estimateMinutes: 60));
        }

        Assert.Equal(3, scheduler.RunCycle(At(0)).Started.Count);
    }
}
