using NeoCloud.Scheduling.Cycles;
using NeoCloud.Scheduling.Queues;
using static NeoCloud.Scheduling.Tests.Cycles.Work;

namespace NeoCloud.Scheduling.Tests.Cycles;

public sealed class QuotaTests
{
    [Fact]
    public void A_queue_without_a_cohort_is_admitted_up_to_its_nominal_quota_and_no_further()
    {
        var (scheduler, _) = Scheduler(4);
        scheduler.Configure(Queue("a", 12));
        scheduler.Submit(Job("j1", "a", gpus: 8));
        scheduler.Submit(Job("j2", "a", gpus: 4, at: 1));
        scheduler.Submit(Job("j3", "a", gpus: 1, at: 2));

        var result = scheduler.RunCycle(At(3));

        Assert.Equal(["j1", "j2"], result.StartedIds());
        Assert.True(scheduler.IsPending("j3"));
        Assert.Equal(12, scheduler.Status("a").Usage[Model]);
    }

    [Fact]
    public void A_queue_borrows_the_unused_nominal_of_its_cohort_up_to_its_borrowing_limit()
    {
        var (scheduler, _) = Scheduler(4);
        scheduler.Configure(new CohortSpec("c"));
        scheduler.Configure(Queue("a", 8, cohort: "c", borrow: 4));
        scheduler.Configure(Queue("b", 16, cohort: "c"));
        scheduler.Submit(Job("a1", "a", gpus: 8));
        scheduler.Submit(Job("a2", "a", gpus: 4, at: 1));
        scheduler.Submit(Job("a3", "a", gpus: 1, at: 2));

        var result = scheduler.RunCycle(At(3));

        Assert.Equal(["a1", "a2"], result.StartedIds());
        var status = scheduler.Status("a");
        Assert.Equal(12, status.Usage[Model]);
        Assert.Equal(4, status.Borrowed[Model]);
    }

    [Fact]
    public void Borrowing_stops_at_what_the_lenders_lending_limits_allow()
    {
        var (scheduler, _) = Scheduler(4);
        scheduler.Configure(new CohortSpec("c"));
        scheduler.Configure(Queue("a", 4, cohort: "c"));
        scheduler.Configure(Queue("b", 16, cohort: "c", lend: 2));
        scheduler.Submit(Job("a1", "a", gpus: 4));
        scheduler.Submit(Job("a2", "a", gpus: 3, at: 1));
        scheduler.Submit(Job("a3", "a", gpus: 2, at: 2));

        var result = scheduler.RunCycle(At(3));

        Assert.Equal(["a1", "a3"], result.StartedIds());
        Assert.Equal(2, scheduler.Status("a").Borrowed[Model]);
    }

    [Fact]
    public void A_lender_that_uses_its_own_quota_stops_lending_it()
    {
        var (scheduler, _) = Scheduler(4);
        scheduler.Configure(new CohortSpec("c"));
        scheduler.Configure(Queue("a", 4, cohort: "c"));
        scheduler.Configure(Queue("b", 8, cohort: "c"));
        scheduler.Submit(Job("b1", "b", gpus: 6));
        scheduler.RunCycle(At(0));
        scheduler.Submit(Job("a1", "a", gpus: 7, at: 1, estimateMinutes: 10));

        var result = scheduler.RunCycle(At(1));

        Assert.Empty(result.Started); // a may borrow only the 2 GPUs b does not use
        scheduler.Submit(Job("a2", "a", gpus: 6, at: 2));
        Assert.Equal(["a2"], scheduler.RunCycle(At(2)).StartedIds());
    }

    [Fact]
    public void Fractional_gpu_quotas_admit_shares_of_a_gpu()
    {
        var (scheduler, _) = Scheduler(1);
        scheduler.Configure(Queue("a", 0.75));
        scheduler.Submit(Job("s1", "a", gpuMilli: 500));
        scheduler.Submit(Job("s2", "a", gpuMilli: 250, at: 1));
        scheduler.Submit(Job("s3", "a", gpuMilli: 250, at: 2));

        var result = scheduler.RunCycle(At(3));

        Assert.Equal(["s1", "s2"], result.StartedIds());
        Assert.Equal(0.75, scheduler.Status("a").Usage[Model]);
    }

    [Fact]
    public void A_quota_change_takes_effect_at_the_next_cycle()
    {
        var (scheduler, _) = Scheduler(2);
        scheduler.Configure(Queue("a", 4));
        scheduler.Submit(Job("j1", "a", gpus: 8));
        Assert.Empty(scheduler.RunCycle(At(0)).Started);

        scheduler.Configure(Queue("a", 8));

        Assert.Equal(["j1"], scheduler.RunCycle(At(1)).StartedIds());
    }

    [Fact]
    public void Cpu_is_rationed_only_when_the_queue_lists_it()
    {
        var (scheduler, _) = Scheduler(2);
        scheduler.Configure(new QueueSpec("a", "acme", null, 1, null, [new FlavourQuota(Model, 16), new FlavourQuota(FlavourQuota.Cpu, 1.5)]));
        scheduler.Configure(Queue("b", 16));
        scheduler.Submit(Job("a1", "a"));
        scheduler.Submit(Job("a2", "a", at: 1));
        scheduler.Submit(Job("b1", "b", at: 2));
        scheduler.Submit(Job("b2", "b", at: 3));

        var started = scheduler.RunCycle(At(4)).StartedIds();

        Assert.Equal(["a1", "b1", "b2"], started.Order());
    }

    [Fact]
    public void Submitting_the_same_id_twice_is_idempotent_and_bad_input_says_what_is_wrong()
    {
        var (scheduler, _) = Scheduler(1);
        scheduler.Configure(Queue("a", 8));

        Assert.True(scheduler.Submit(Job("j1", "a")));
        Assert.False(scheduler.Submit(Job("j1", "a", gpus: 2)));
        Assert.Equal(1, scheduler.Status("a").Pending);
        Assert.Contains("queue 'nope' is not configured", Assert.Throws<KeyNotFoundException>(() => scheduler.Submit(Job("j2", "nope"))).Message, StringComparison.Ordinal);
        Assert.Contains("at least one replica", Assert.Throws<ArgumentException>(() => scheduler.Submit(Job("j3", "a", replicas: 0))).Message, StringComparison.Ordinal);
        Assert.Contains("cohort 'x' is not configured", Assert.Throws<ArgumentException>(() => scheduler.Configure(Queue("b", 1, cohort: "x"))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Priority_classes_outside_the_queues_list_are_refused()
    {
        var (scheduler, _) = Scheduler(1);
        scheduler.Configure(Queue("a", 8) with { PriorityClasses = ["high"] });

        Assert.True(scheduler.Submit(Job("j1", "a") with { PriorityClass = "high" }));
        var error = Assert.Throws<ArgumentException>(() => scheduler.Submit(Job("j2", "a") with { PriorityClass = "low" }));
        Assert.Contains("priority class 'low' is not allowed in queue a", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cancel_and_finish_give_the_quota_back()
    {
        var (scheduler, placer) = Scheduler(1);
        scheduler.Configure(Queue("a", 8));
        scheduler.Submit(Job("j1", "a", gpus: 8));
        scheduler.Submit(Job("j2", "a", gpus: 8, at: 1));
        scheduler.RunCycle(At(2));

        Assert.True(scheduler.Finished("j1", At(3)));
        Assert.Equal(["j2"], scheduler.RunCycle(At(3)).StartedIds());
        Assert.True(scheduler.Cancel("j2"));
        Assert.Equal(0, placer.Snapshot.GpuAllocatedMilli);
        Assert.Equal(0, scheduler.Status("a").Usage[Model]);
        Assert.False(scheduler.Cancel("j2"));
    }
}
