using NeoCloud.Scheduling.Cycles;
using static NeoCloud.Scheduling.Tests.Cycles.Work;

namespace NeoCloud.Scheduling.Tests.Cycles;

public sealed class BackfillTests
{
    /// <summary>
    /// Two nodes: n0 runs "short" until 20, n1 runs "long" until 60. The head gang needs a whole node: reserved at 20 on n0.
    /// </summary>
    private static ClusterScheduler WithHeadReserved(SchedulerOptions? options = null)
    {
        var (scheduler, _) = Scheduler(2, (options ?? new SchedulerOptions()) with { Preemption = false });
        scheduler.Configure(Queue("a", 64));
        scheduler.Submit(Job("short", "a", gpus: 6, estimateMinutes: 20));
        scheduler.Submit(Job("long", "a", gpus: 6, estimateMinutes: 60));
        scheduler.RunCycle(At(0));
        scheduler.Submit(Job("head", "a", gpus: 8, at: 2, estimateMinutes: 30));
        return scheduler;
    }

    [Fact]
    public void The_head_of_line_gang_is_reserved_at_the_first_expected_end_that_lets_it_fit()
    {
        var scheduler = WithHeadReserved();

        var result = scheduler.RunCycle(At(3));

        Assert.Empty(result.Started);
        Assert.Equal("head", result.Reservation!.WorkloadId);
        Assert.Equal(At(20), result.Reservation.Start);
        Assert.Equal(["n0"], result.Reservation.Nodes);
        Assert.Equal(At(20), scheduler.EstimatedStart("head"));
    }

    [Fact]
    public void A_later_job_that_ends_before_the_reservation_is_backfilled_onto_the_reserved_node()
    {
        var scheduler = WithHeadReserved();
        scheduler.Submit(Job("quick", "a", gpus: 2, at: 3, estimateMinutes: 10));

        var result = scheduler.RunCycle(At(4));

        var started = Assert.Single(result.Started);
        Assert.Equal(("quick", true), (started.Id, started.Backfilled));
        Assert.Equal(0, started.Placement.Replicas[0].Node);
    }

    [Fact]
    public void A_later_job_that_would_delay_the_reservation_starts_only_off_the_reserved_nodes()
    {
        var scheduler = WithHeadReserved();
        scheduler.Submit(Job("slow1", "a", gpus: 2, at: 3, estimateMinutes: 100));
        scheduler.Submit(Job("slow2", "a", gpus: 2, at: 4, estimateMinutes: 100));

        var result = scheduler.RunCycle(At(5));

        var started = Assert.Single(result.Started);
        Assert.Equal("slow1", started.Id);
        Assert.Equal(1, started.Placement.Replicas[0].Node); // n1, beside "long": n0 is kept for the head
        Assert.True(scheduler.IsPending("slow2"));
        Assert.Equal(At(20), result.Reservation!.Start);
    }

    [Fact]
    public void A_job_with_no_runtime_estimate_is_never_trusted_to_end_before_the_reservation()
    {
        var scheduler = WithHeadReserved();
        scheduler.Submit(Job("unknown", "a", gpus: 2, at: 3));

        var result = scheduler.RunCycle(At(4));

        Assert.Equal(1, Assert.Single(result.Started).Placement.Replicas[0].Node);
    }

    [Fact]
    public void The_reserved_gang_starts_when_its_capacity_frees()
    {
        var scheduler = WithHeadReserved();
        scheduler.Submit(Job("quick", "a", gpus: 2, at: 3, estimateMinutes: 10));
        scheduler.RunCycle(At(4));
        scheduler.Finished("quick", At(14));
        scheduler.Finished("short", At(20));

        var result = scheduler.RunCycle(At(20));

        Assert.Equal(["head"], result.StartedIds());
    }

    [Fact]
    public void Without_backfill_a_blocked_head_keeps_everything_behind_it_waiting()
    {
        var scheduler = WithHeadReserved(new SchedulerOptions { Backfill = false });
        scheduler.Submit(Job("quick", "a", gpus: 2, at: 3, estimateMinutes: 10));

        var result = scheduler.RunCycle(At(4));

        Assert.Empty(result.Started);
        Assert.Null(result.Reservation);
    }

    [Fact]
    public void Fifo_starts_in_arrival_order_across_queues_and_stops_at_the_first_that_does_not_fit()
    {
        var (scheduler, _) = Scheduler(1, new SchedulerOptions { Policy = SchedulingPolicy.Fifo });
        scheduler.Configure(Queue("a", 8));
        scheduler.Configure(Queue("b", 8));
        scheduler.Submit(Job("a0", "a", gpus: 4, at: 0));
        scheduler.Submit(Job("a1", "a", gpus: 2, at: 1));
        scheduler.Submit(Job("b0", "b", gpus: 4, priority: 100, at: 2));
        scheduler.Submit(Job("a2", "a", gpus: 1, at: 3, estimateMinutes: 1));

        var result = scheduler.RunCycle(At(4));

        Assert.Equal(["a0", "a1"], result.StartedIds());
        Assert.True(scheduler.IsPending("a2")); // it would fit, but b0 is older: head-of-line blocking
        Assert.Null(result.Reservation);
    }

    [Fact]
    public void The_neocloud_policy_backfills_where_fifo_blocks()
    {
        var (scheduler, _) = Scheduler(1);
        scheduler.Configure(Queue("a", 64));
        scheduler.Submit(Job("a0", "a", gpus: 4, at: 0, estimateMinutes: 30));
        scheduler.Submit(Job("a1", "a", gpus: 2, at: 1, estimateMinutes: 30));
        scheduler.Submit(Job("a2", "a", gpus: 4, at: 2, estimateMinutes: 30));
        scheduler.Submit(Job("a3", "a", gpus: 1, at: 3, estimateMinutes: 10));

        var result = scheduler.RunCycle(At(4));

        Assert.Equal(["a0", "a1", "a3"], result.StartedIds());
        Assert.Equal("a2", result.Reservation!.WorkloadId);
    }
}
