using NeoCloud.Scheduling.Cycles;
using NeoCloud.Scheduling.Queues;
using static NeoCloud.Scheduling.Tests.Cycles.Work;

namespace NeoCloud.Scheduling.Tests.Cycles;

public sealed class FairShareTests
{
    [Fact]
    public void Queues_take_turns_by_dominant_share_rather_than_arrival()
    {
        var (scheduler, _) = Scheduler(1, new SchedulerOptions { Preemption = false });
        scheduler.Configure(Queue("a", 8));
        scheduler.Configure(Queue("b", 8));
        for (int i = 0; i < 4; i++)
        {
            scheduler.Submit(Job($"a{i}", "a", gpus: 2, at: i));
        }

        for (int i = 0; i < 4; i++)
        {
            scheduler.Submit(Job($"b{i}", "b", gpus: 2, at: 10 + i));
        }

        var started = scheduler.RunCycle(At(20)).StartedIds();

        Assert.Equal(["a0", "b0", "a1", "b1"], started);
    }

    [Fact]
    public void A_queue_with_twice_the_weight_gets_twice_the_share()
    {
        var (scheduler, _) = Scheduler(1, new SchedulerOptions { Preemption = false });
        scheduler.Configure(Queue("heavy", 8, weight: 2));
        scheduler.Configure(Queue("light", 8));
        for (int i = 0; i < 6; i++)
        {
            scheduler.Submit(Job($"h{i}", "heavy", at: i));
            scheduler.Submit(Job($"l{i}", "light", at: i));
        }

        var started = scheduler.RunCycle(At(20)).StartedIds();

        Assert.Equal(8, started.Count);
        Assert.Equal(5, started.Count(id => id.StartsWith('h')));
        Assert.Equal(3, started.Count(id => id.StartsWith('l')));
    }

    [Fact]
    public void A_queue_that_just_ran_a_burst_yields_and_the_memory_fades_with_the_half_life()
    {
        var options = new SchedulerOptions { UsageHalfLife = TimeSpan.FromHours(1), Preemption = false };

        Assert.Equal("fresh", FirstToStartAfterBurst(options, idleHours: 0.5));
        Assert.Equal("burst", FirstToStartAfterBurst(options, idleHours: 20));
        Assert.Equal("burst", FirstToStartAfterBurst(options with { UsageHalfLife = TimeSpan.Zero }, idleHours: 0.5));
    }

    /// <summary>Queue "burst" ran the whole cluster for 4 hours and finished; after <paramref name="idleHours"/> both queues submit, "burst" first.</summary>
    private static string FirstToStartAfterBurst(SchedulerOptions options, double idleHours)
    {
        var (scheduler, _) = Scheduler(1, options);
        scheduler.Configure(Queue("burst", 8));
        scheduler.Configure(Queue("fresh", 8));
        scheduler.Submit(Job("big", "burst", gpus: 8));
        scheduler.RunCycle(At(0));
        scheduler.RunCycle(At(240));
        scheduler.Finished("big", At(240));
        double then = 240 + (idleHours * 60);
        scheduler.RunCycle(At(then));
        scheduler.Submit(Job("x", "burst", gpus: 8, at: then));
        scheduler.Submit(Job("y", "fresh", gpus: 8, at: then + 1));

        var started = Assert.Single(scheduler.RunCycle(At(then + 2)).Started);
        return started.Queue;
    }

    [Fact]
    public void Within_a_queue_priority_goes_before_arrival()
    {
        var (scheduler, _) = Scheduler(1);
        scheduler.Configure(Queue("a", 8));
        scheduler.Submit(Job("old", "a", gpus: 8, at: 0));
        scheduler.Submit(Job("urgent", "a", gpus: 8, priority: 5, at: 1));

        Assert.Equal(["urgent"], scheduler.RunCycle(At(2)).StartedIds());
    }

    [Fact]
    public void Queue_status_reports_depth_running_share_and_oldest_wait()
    {
        var (scheduler, _) = Scheduler(1);
        scheduler.Configure(new CohortSpec("c"));
        scheduler.Configure(Queue("a", 4, cohort: "c"));
        scheduler.Configure(Queue("b", 4, cohort: "c"));
        scheduler.Submit(Job("a1", "a", gpus: 6, at: 0));
        scheduler.Submit(Job("a2", "a", gpus: 4, at: 1));
        scheduler.RunCycle(At(10));

        var status = scheduler.Status("a");

        Assert.Equal((1, 1), (status.Pending, status.Running));
        Assert.Equal(6, status.Usage[Model]);
        Assert.Equal(2, status.Borrowed[Model]);
        Assert.Equal(0.75, status.DominantShare, 3);
        Assert.Equal(TimeSpan.FromMinutes(9), status.OldestWait);
    }
}
