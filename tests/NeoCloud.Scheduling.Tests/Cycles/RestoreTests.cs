using NeoCloud.Scheduling.Cycles;
using static NeoCloud.Scheduling.Tests.Cycles.Work;

namespace NeoCloud.Scheduling.Tests.Cycles;

public sealed class RestoreTests
{
    [Fact]
    public void A_restarted_control_plane_restores_running_work_with_its_capacity_and_quota()
    {
        var (before, _) = Scheduler(2);
        before.Configure(Queue("a", 12));
        var job = Job("r1", "a", replicas: 1, gpus: 8, estimateMinutes: 30);
        before.Submit(job);
        var placement = Assert.Single(before.RunCycle(At(0)).Started).Placement;

        var (after, placer) = Scheduler(2);
        after.Configure(Queue("a", 12));
        after.Restore(job, placement, At(0));
        after.Submit(Job("next", "a", gpus: 8, at: 1));
        after.Submit(Job("small", "a", gpus: 4, at: 2));

        var result = after.RunCycle(At(5));

        Assert.Equal(["small"], result.StartedIds()); // "next" would exceed the quota of 12 next to the restored 8
        Assert.Equal(12_000, placer.Snapshot.GpuAllocatedMilli);
        Assert.Equal(At(0), after.EstimatedStart("r1"));
        Assert.Throws<InvalidOperationException>(() => after.Restore(job, placement, At(0)));
        Assert.True(after.Finished("r1", At(30)));
        Assert.Equal(["next"], after.RunCycle(At(30)).StartedIds());
    }
}
