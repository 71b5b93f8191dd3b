using NeoCloud.Scheduling.Cycles;
using static NeoCloud.Scheduling.Tests.Cycles.Work;

namespace NeoCloud.Scheduling.Tests.Cycles;

public sealed class EstimatedStartTests
{
    [Fact]
    public void Pending_work_is_estimated_to_start_as_running_and_earlier_pending_work_ends()
    {
        var (scheduler, _) = Scheduler(1, new SchedulerOptions { Preemption = false });
        scheduler.Configure(Queue("a", 8));
        scheduler.Submit(Job("r", "a", gpus: 8, estimateMinutes: 30));
        scheduler.RunCycle(At(0));
        scheduler.Submit(Job("p1", "a", gpus: 8, at: 1, estimateMinutes: 60));
        scheduler.Submit(Job("p2", "a", gpus: 4, at: 2, limitMinutes: 15));
        scheduler.Submit(Job("p3", "a", gpus: 4, at: 3));

        Assert.Equal(At(0), scheduler.EstimatedStart("r"));
        Assert.Equal(At(30), scheduler.EstimatedStart("p1"));
        Assert.Equal(At(90), scheduler.EstimatedStart("p2"));
        Assert.Equal(At(90), scheduler.EstimatedStart("p3"));
    }

    [Fact]
    public void A_job_pinned_to_a_busy_model_waits_for_that_model_while_another_model_is_idle()
    {
        var placer = new Fakes.FirstFitGangPlacer([.. Nodes(1), .. Nodes(1, model: "L40S").Select(n => n with { Name = "l0" })]);
        var scheduler = new ClusterScheduler(placer, new SchedulerOptions { Preemption = false });
        scheduler.Configure(new Scheduling.Queues.QueueSpec("a", "acme", null, 1, null,
            [new Scheduling.Queues.FlavourQuota(Model, 8), new Scheduling.Queues.FlavourQuota("L40S", 8)]));
        scheduler.Submit(Pinned("busy", Model, estimateMinutes: 45));
        scheduler.RunCycle(At(0));
        scheduler.Submit(Pinned("h100", Model, at: 1));
        scheduler.Submit(Pinned("l40s", "L40S", at: 2));

        Assert.Equal(At(45), scheduler.EstimatedStart("h100"));
        Assert.Equal(At(2), scheduler.EstimatedStart("l40s")); // as soon as it was submitted: nothing holds the L40S

        static PendingWorkload Pinned(string id, string model, double at = 0, double? estimateMinutes = null) =>
            Job(id, "a", gpus: 8, at: at, estimateMinutes: estimateMinutes) is var job
                ? job with { Gang = job.Gang with { Replica = job.Gang.Replica with { GpuModels = [model] } } }
                : throw new InvalidOperationException();
    }

    [Fact]
    public void Work_that_can_never_run_has_no_estimate()
    {
        var (scheduler, _) = Scheduler(2);
        scheduler.Configure(Queue("a", 8));
        scheduler.Configure(Queue("big", 64));
        scheduler.Submit(Job("too-wide", "big", gpus: 9));
        scheduler.Submit(Job("too-many", "big", replicas: 3, gpus: 8));
        scheduler.Submit(Job("over-quota", "a", replicas: 2, gpus: 8));
        scheduler.Submit(Job("fine", "big", replicas: 2, gpus: 8));

        Assert.Null(scheduler.EstimatedStart("too-wide"));
        Assert.Null(scheduler.EstimatedStart("too-many"));
        Assert.Null(scheduler.EstimatedStart("over-quota"));
        Assert.Equal(At(0), scheduler.EstimatedStart("fine"));
        Assert.Throws<KeyNotFoundException>(() => scheduler.EstimatedStart("nobody"));
    }

    [Fact]
    public void Every_pending_workload_of_a_deep_backlog_gets_an_estimate_in_service_order()
    {
        var (scheduler, _) = Scheduler(4, new SchedulerOptions { Preemption = false });
        scheduler.Configure(Queue("a", 32));
        scheduler.Configure(Queue("b", 32));
        for (int i = 0; i < 2000; i++)
        {
            scheduler.Submit(Job($"j{i}", i % 2 == 0 ? "a" : "b", gpus: 1 + (i % 8), at: i / 100.0, estimateMinutes: 10 + (i % 50)));
        }

        scheduler.RunCycle(At(30));
        var estimates = Enumerable.Range(0, 2000).Where(i => scheduler.IsPending($"j{i}")).Select(i => (Queue: i % 2, At: scheduler.EstimatedStart($"j{i}"))).ToList();

        Assert.True(estimates.Count > 1500);
        Assert.All(estimates, e => Assert.True(e.At >= At(30)));
        foreach (var queue in new[] { 0, 1 })
        {
            var ofQueue = estimates.Where(e => e.Queue == queue).Select(e => e.At!.Value).ToList();
            Assert.Equal(ofQueue.Order(), ofQueue); // within a queue (one priority) estimates follow arrival
        }
    }
}
