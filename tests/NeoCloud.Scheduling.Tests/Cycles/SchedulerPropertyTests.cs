using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NeoCloud.Scheduling.Cycles;
using NeoCloud.Scheduling.Queues;
using NeoCloud.Scheduling.Tests.Fakes;
using static NeoCloud.Scheduling.Tests.Cycles.Work;

namespace NeoCloud.Scheduling.Tests.Cycles;

/// <summary>Invariants that hold for any queue configuration and any stream of submissions, ends and cycles.</summary>
public sealed class SchedulerPropertyTests
{
    [Property(MaxTest = 80)]
    public Property Quotas_are_never_exceeded_beyond_borrowing_limits(PositiveInt seed) => QuotasHold(seed.Get).ToProperty();

    [Property(MaxTest = 40)]
    public Property A_big_gang_starts_within_the_longest_runtime_limit_despite_a_stream_of_small_jobs(PositiveInt seed) =>
        BigGangStartsInTime(seed.Get).ToProperty();

    private static bool QuotasHold(int seed)
    {
        var random = new Random(seed);
        var placer = new FirstFitGangPlacer(Nodes(random.Next(1, 6)));
        var scheduler = new ClusterScheduler(placer, new SchedulerOptions { FairSharePreemption = random.Next(2) == 0 });
        var specs = new List<QueueSpec>();
        string[] cohorts = ["c0", "c1"];
        foreach (string cohort in cohorts)
        {
            scheduler.Configure(new CohortSpec(cohort));
        }

        int queues = random.Next(1, 6);
        for (int q = 0; q < queues; q++)
        {
            string? cohort = random.Next(4) == 0 ? null : cohorts[random.Next(cohorts.Length)];
            double nominal = random.Next(0, 17);
            var spec = Queue($"q{q}", nominal, cohort,
                borrow: cohort is null || random.Next(3) == 0 ? null : random.Next(0, 9),
                lend: random.Next(3) == 0 ? null : random.Next(0, (int)nominal + 1),
                guaranteed: random.Next(2) == 0 ? null : random.Next(0, (int)nominal + 1));
            specs.Add(spec);
            scheduler.Configure(spec);
        }

        var running = new List<string>();
        double now = 0;
        for (int step = 0; step < 60; step++)
        {
            now += random.Next(1, 10);
            for (int s = random.Next(0, 6); s > 0; s--)
            {
                scheduler.Submit(Job($"w{step}-{s}", $"q{random.Next(queues)}", replicas: random.Next(1, 4), gpus: random.Next(1, 9),
                    priority: random.Next(0, 4), preemptible: random.Next(3) > 0, at: now, estimateMinutes: random.Next(1, 60)));
            }

            running.RemoveAll(id => !scheduler.IsRunning(id));
            for (int f = random.Next(0, 3); f > 0 && running.Count > 0; f--)
            {
                int i = random.Next(running.Count);
                scheduler.Finished(running[i], At(now));
                running.RemoveAt(i);
            }

            var result = scheduler.RunCycle(At(now));
            running.AddRange(result.Started.Select(s => s.Id));
            if (!Holds(specs, result.Queues, placer))
            {
                return false;
            }
        }

        return true;
    }

    private static bool Holds(List<QueueSpec> specs, IReadOnlyList<QueueStatus> statuses, FirstFitGangPlacer placer)
    {
        var usage = statuses.ToDictionary(s => s.Name, s => s.Usage.GetValueOrDefault(Model));
        if (Math.Abs(usage.Values.Sum() - (placer.Snapshot.GpuAllocatedMilli / 1000.0)) > 1e-9)
        {
            return false; // quota accounting and the placer disagree
        }

        foreach (var spec in specs)
        {
            var quota = spec.Quotas[0];
            double ceiling = spec.Cohort is null ? quota.Nominal : quota.Nominal + (quota.BorrowingLimit ?? double.PositiveInfinity);
            if (usage[spec.Name] > ceiling + 1e-9)
            {
                return false;
            }
        }

        foreach (var cohort in specs.Where(s => s.Cohort is not null).GroupBy(s => s.Cohort))
        {
            double borrowed = cohort.Sum(s => Math.Max(0, usage[s.Name] - s.Quotas[0].Nominal));
            double lent = cohort.Sum(s => Math.Min(s.Quotas[0].LendingLimit ?? s.Quotas[0].Nominal, Math.Max(0, s.Quotas[0].Nominal - usage[s.Name])));
            if (borrowed > lent + 1e-9)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Small single-GPU jobs arrive every minute, each with an estimate of at most <c>limit</c> minutes and running at most
    /// that long; a 4-node gang of higher priority arrives once. Small jobs are not preemptible, so only the reservation
    /// and backfill rules can get the gang started: it must start by its arrival plus the longest limit (plus a tick).
    /// </summary>
    private static bool BigGangStartsInTime(int seed)
    {
        var random = new Random(seed);
        int nodes = random.Next(2, 6);
        var (scheduler, _) = Scheduler(nodes);
        scheduler.Configure(Queue("a", 1000));
        int limit = random.Next(5, 60);
        int gangAt = random.Next(10, 100);
        var ends = new Dictionary<string, double>();
        var actual = new Dictionary<string, double>();
        double? gangStarted = null;
        for (int minute = 0; minute <= gangAt + limit + 2 && gangStarted is null; minute++)
        {
            foreach (var (id, end) in ends.Where(e => e.Value <= minute).ToList())
            {
                scheduler.Finished(id, At(minute));
                ends.Remove(id);
            }

            for (int s = random.Next(0, 2 * nodes * 8 / Math.Max(1, limit / 2) + 2); s > 0; s--)
            {
                string id = $"s{minute}-{s}";
                int estimate = random.Next(1, limit + 1);
                actual[id] = random.Next(1, estimate + 1);
                scheduler.Submit(Job(id, "a", gpus: random.Next(1, 3), preemptible: false, at: minute, estimateMinutes: estimate, limitMinutes: limit));
            }

            if (minute == gangAt)
            {
                scheduler.Submit(Job("gang", "a", replicas: nodes, gpus: 8, priority: 10, at: minute, estimateMinutes: 30));
            }

            foreach (var started in scheduler.RunCycle(At(minute)).Started)
            {
                if (started.Id == "gang")
                {
                    gangStarted = minute;
                }
                else
                {
                    ends[started.Id] = minute + actual[started.Id];
                }
            }
        }

        return gangStarted is { } at && at <= gangAt + limit + 1;
    }
}
