using NeoCloud.Scheduling.Cycles;
using NeoCloud.Scheduling.Preemption;
using NeoCloud.Scheduling.Queues;
using static NeoCloud.Scheduling.Tests.Cycles.Work;

namespace NeoCloud.Scheduling.Tests.Cycles;

public sealed class PreemptionTests
{
    [Fact]
    public void A_higher_priority_workload_preempts_a_lower_one_of_its_queue_and_the_decision_says_why_and_for_whom()
    {
        var (scheduler, placer) = Scheduler(1);
        scheduler.Configure(Queue("a", 8));
        scheduler.Submit(Job("low", "a", gpus: 8, priority: 1));
        scheduler.RunCycle(At(0));
        scheduler.Submit(Job("high", "a", gpus: 8, priority: 9, at: 5));

        var result = scheduler.RunCycle(At(10));

        Assert.Equal(["high"], result.StartedIds());
        var decision = Assert.Single(result.Preemptions);
        Assert.Equal(("low", "a", PreemptionReason.PriorityWithinQueue, "high"), (decision.VictimId, decision.VictimQueue, decision.Reason, decision.BeneficiaryId));
        Assert.Contains("priority 9", decision.Text, StringComparison.Ordinal);
        Assert.False(scheduler.IsRunning("low"));
        Assert.False(scheduler.IsPending("low"));
        Assert.Equal(8000, placer.Snapshot.GpuAllocatedMilli);
    }

    [Fact]
    public void Priority_alone_never_preempts_across_queues()
    {
        var (scheduler, _) = Scheduler(1);
        scheduler.Configure(Queue("a", 8));
        scheduler.Configure(Queue("b", 8));
        scheduler.Submit(Job("low", "a", gpus: 8, priority: 1));
        scheduler.RunCycle(At(0));
        scheduler.Submit(Job("high", "b", gpus: 8, priority: 9, at: 5));

        var result = scheduler.RunCycle(At(10));

        Assert.Empty(result.Started);
        Assert.Empty(result.Preemptions);
    }

    [Fact]
    public void A_queue_under_its_nominal_quota_reclaims_what_another_queue_borrowed()
    {
        var (scheduler, _) = Scheduler(2);
        scheduler.Configure(new CohortSpec("c"));
        scheduler.Configure(Queue("lender", 8, cohort: "c"));
        scheduler.Configure(Queue("borrower", 8, cohort: "c", guaranteed: 0));
        scheduler.Submit(Job("b1", "borrower", gpus: 8));
        scheduler.Submit(Job("b2", "borrower", gpus: 8, at: 1));
        scheduler.RunCycle(At(2));
        scheduler.Submit(Job("l1", "lender", gpus: 8, at: 3));

        var result = scheduler.RunCycle(At(4));

        Assert.Equal(["l1"], result.StartedIds());
        var decision = Assert.Single(result.Preemptions);
        Assert.Equal((PreemptionReason.ReclaimBorrowed, "l1"), (decision.Reason, decision.BeneficiaryId));
        Assert.Equal("b2", decision.VictimId); // the most recently started goes first: least work lost
        Assert.Equal(8, scheduler.Status("borrower").Usage[Model]);
    }

    [Fact]
    public void Reclaiming_never_takes_a_queue_below_its_guaranteed_amount()
    {
        var (scheduler, _) = Scheduler(2);
        scheduler.Configure(new CohortSpec("c"));
        scheduler.Configure(Queue("lender", 8, cohort: "c"));
        scheduler.Configure(Queue("borrower", 8, cohort: "c", guaranteed: 8));
        scheduler.Submit(Job("b1", "borrower", replicas: 2, gpus: 8));
        scheduler.RunCycle(At(0));
        scheduler.Submit(Job("l1", "lender", gpus: 8, at: 3));

        var result = scheduler.RunCycle(At(4));

        Assert.Empty(result.Preemptions); // b1 straddles the guarantee: taking it would leave borrower at 0 < 8
        Assert.True(scheduler.IsRunning("b1"));
    }

    [Fact]
    public void A_victim_that_has_not_run_its_guaranteed_minimum_runtime_is_not_eligible()
    {
        var (scheduler, _) = Scheduler(1);
        scheduler.Configure(Queue("a", 8));
        scheduler.Submit(Job("low", "a", gpus: 8, priority: 1, minRuntimeMinutes: 30));
        scheduler.RunCycle(At(0));
        scheduler.Submit(Job("high", "a", gpus: 8, priority: 9, at: 1));

        Assert.Empty(scheduler.RunCycle(At(10)).Preemptions);
        Assert.Equal("low", Assert.Single(scheduler.RunCycle(At(30)).Preemptions).VictimId);
    }

    [Fact]
    public void A_workload_that_is_not_preemptible_is_never_a_victim()
    {
        var (scheduler, _) = Scheduler(1);
        scheduler.Configure(Queue("a", 8));
        scheduler.Submit(Job("low", "a", gpus: 8, priority: 1, preemptible: false));
        scheduler.RunCycle(At(0));
        scheduler.Submit(Job("high", "a", gpus: 8, priority: 9, at: 1));

        Assert.Empty(scheduler.RunCycle(At(10)).Preemptions);
    }

    [Fact]
    public void Victims_are_those_whose_release_frees_the_node_the_gang_needs()
    {
        var (scheduler, _) = Scheduler(2);
        scheduler.Configure(Queue("a", 16));
        scheduler.Submit(Job("keep", "a", gpus: 4, priority: 5, preemptible: false));
        scheduler.Submit(Job("v0", "a", gpus: 4, priority: 1, at: 1));
        scheduler.Submit(Job("v1", "a", gpus: 4, priority: 1, at: 2));
        scheduler.Submit(Job("v2", "a", gpus: 4, priority: 1, at: 3));
        Assert.Equal(4, scheduler.RunCycle(At(4)).Started.Count);
        Assert.Equal(0, scheduler.PlacementOf("v0")!.Replicas[0].Node); // node 0: keep + v0; node 1: v1 + v2
        scheduler.Checkpointed("v0", At(9)); // v0 would lose the least work, but freeing it cannot free a whole node

        var result = scheduler.RunCycle(At(10));
        Assert.Empty(result.Started);
        scheduler.Submit(Job("whole", "a", gpus: 8, priority: 9, at: 10));
        result = scheduler.RunCycle(At(11));

        Assert.Equal(["whole"], result.StartedIds());
        Assert.Equal(["v1", "v2"], result.Preemptions.Select(p => p.VictimId).Order());
        Assert.True(scheduler.IsRunning("v0"));
        Assert.Equal(1, scheduler.PlacementOf("whole")!.Replicas[0].Node);
    }

    [Fact]
    public void Among_victims_that_would_do_the_victim_with_the_most_recent_checkpoint_is_chosen()
    {
        var (scheduler, _) = Scheduler(2);
        scheduler.Configure(Queue("a", 16));
        scheduler.Submit(Job("v0", "a", gpus: 8, priority: 1));
        scheduler.Submit(Job("v1", "a", gpus: 8, priority: 1, at: 1));
        scheduler.RunCycle(At(2));
        scheduler.Checkpointed("v0", At(50));
        scheduler.Checkpointed("v1", At(20));
        scheduler.Submit(Job("high", "a", gpus: 8, priority: 9, at: 55));

        var result = scheduler.RunCycle(At(60));

        Assert.Equal("v0", Assert.Single(result.Preemptions).VictimId);
    }

    [Fact]
    public void A_borrowing_queue_with_the_larger_share_yields_to_fair_share()
    {
        var (scheduler, _) = Scheduler(2, new SchedulerOptions { FairSharePreemption = true });
        scheduler.Configure(new CohortSpec("c"));
        scheduler.Configure(Queue("a", 4, cohort: "c", guaranteed: 0));
        scheduler.Configure(Queue("b", 4, cohort: "c", guaranteed: 0));
        scheduler.Configure(Queue("idle", 8, cohort: "c"));
        for (int i = 0; i < 6; i++)
        {
            scheduler.Submit(Job($"a{i}", "a", gpus: 2, at: i));
        }

        scheduler.RunCycle(At(10)); // a borrows 8 of idle's 8
        scheduler.Submit(Job("b0", "b", gpus: 6, at: 11));

        var result = scheduler.RunCycle(At(12));

        Assert.Equal(["b0"], result.StartedIds());
        Assert.All(result.Preemptions, p => Assert.Equal((PreemptionReason.FairShare, "a", "b0"), (p.Reason, p.VictimQueue, p.BeneficiaryId)));
        Assert.NotEmpty(result.Preemptions);
    }

    [Fact]
    public void The_fifo_policy_never_preempts()
    {
        var (scheduler, _) = Scheduler(1, new SchedulerOptions { Policy = SchedulingPolicy.Fifo });
        scheduler.Configure(Queue("a", 8));
        scheduler.Submit(Job("low", "a", gpus: 8, priority: 1));
        scheduler.RunCycle(At(0));
        scheduler.Submit(Job("high", "a", gpus: 8, priority: 9, at: 1));

        var result = scheduler.RunCycle(At(10));

        Assert.Empty(result.Preemptions);
        Assert.Empty(result.Started);
    }

    [Fact]
    public void One_victim_that_frees_enough_is_preferred_to_several_that_lose_less_work()
    {
        var (scheduler, _) = Scheduler(2);
        scheduler.Configure(Queue("a", 16));
        scheduler.Submit(Job("small0", "a", gpus: 4, priority: 1));
        scheduler.Submit(Job("small1", "a", gpus: 4, priority: 1));
        scheduler.Submit(Job("big", "a", gpus: 8, priority: 1));
        scheduler.RunCycle(At(0));
        scheduler.Checkpointed("small0", At(59));
        scheduler.Checkpointed("small1", At(59));
        scheduler.Submit(Job("high", "a", gpus: 8, priority: 9, at: 59));

        var result = scheduler.RunCycle(At(60));

        Assert.Equal("big", Assert.Single(result.Preemptions).VictimId);
    }
}
