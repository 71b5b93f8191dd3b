using System.Diagnostics;
using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;
using NeoCloud.Scheduling.Cycles;
using NeoCloud.Scheduling.Gangs;
using NeoCloud.Scheduling.Metrics;
using NeoCloud.Scheduling.Placement;
using NeoCloud.Scheduling.Queues;

namespace NeoCloud.Benchmarks.Scheduling;

/// <summary>
/// The scheduler on 10,000 nodes / 80,000 GPUs with 100,000 pending gangs of mixed sizes over 50 queues in 5 cohorts:
/// a first cycle on the empty cluster, a steady-state cycle after 500 ends, and the estimated start of all pending work.
/// Decision latencies (the <c>neocloud_scheduling_placement_seconds</c> histogram) are printed at the end.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5, invocationCount: 1)]
public class ClusterSchedulerBenchmarks
{
    private const int Nodes = 10_000;
    private const int Pending = 100_000;
    private const int Queues = 50;
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly List<double> _decisions = [];
    private MeterListener? _listener;
    private SchedulingMetrics? _metrics;
    private ClusterScheduler _scheduler = null!;
    private List<string> _running = [];
    private Random _random = null!;
    private DateTimeOffset _now;
    private long _replicasPlaced;
    private double _cycleSeconds;
    private int _cycles;
    private long _startedTotal;
    private long _preempted;

    [Params(SchedulingPolicy.NeoCloud, SchedulingPolicy.Fifo)]
    public SchedulingPolicy Policy { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == SchedulingMetrics.MeterName && instrument.Name == "neocloud_scheduling_placement_seconds")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _listener.SetMeasurementEventCallback<double>((_, value, _, _) => _decisions.Add(value));
        _listener.Start();
        _metrics = new SchedulingMetrics();
    }

    [IterationSetup(Target = nameof(FirstCycleOnAnEmptyCluster))]
    public void FreshBacklog() => Build();

    [GlobalSetup(Target = nameof(SteadyStateCycleAfter500Ends))]
    public void SteadySetup()
    {
        Setup();
        Build();
        Cycle();
        (_cycles, _startedTotal, _replicasPlaced, _preempted, _cycleSeconds) = (0, 0, 0, 0, 0);
        _decisions.Clear();
    }

    [GlobalSetup(Target = nameof(EstimatedStartOfAllPending))]
    public void EstimateSetup() => SteadySetup();

    /// <summary>One cycle over the whole backlog on an empty cluster: fills it.</summary>
    [Benchmark]
    public int FirstCycleOnAnEmptyCluster() => Cycle();

    /// <summary>500 running gangs end, then one cycle refills their capacity from the backlog.</summary>
    [Benchmark]
    public int SteadyStateCycleAfter500Ends()
    {
        _now += TimeSpan.FromSeconds(10);
        for (int i = 0; i < 500 && _running.Count > 0; i++)
        {
            int pick = _random.Next(_running.Count);
            _scheduler.Finished(_running[pick], _now);
            _running[pick] = _running[^1];
            _running.RemoveAt(_running.Count - 1);
        }

        return Cycle();
    }

    /// <summary>Estimated start of every pending workload after a change of state (one submission).</summary>
    [Benchmark]
    public int EstimatedStartOfAllPending()
    {
        var extra = Workload(Pending + _random.Next(), _random);
        _scheduler.Submit(extra);
        _ = _scheduler.EstimatedStart(extra.Id);
        _scheduler.Cancel(extra.Id);
        return _scheduler.PendingCount;
    }

    [GlobalCleanup]
    public void Report()
    {
        _listener?.Dispose();
        _metrics?.Dispose();
        if (_decisions.Count == 0)
        {
            return;
        }

        _decisions.Sort();
        double P(double q) => _decisions[Math.Min(_decisions.Count - 1, (int)(q * _decisions.Count))] * 1000;
        Console.WriteLine($"// scheduler {Policy}: {_decisions.Count} placement decisions, p50 {P(0.5):F4} ms, p99 {P(0.99):F4} ms, max {_decisions[^1] * 1000:F3} ms; "
            + $"{_cycles} cycles started {_startedTotal} gangs ({_replicasPlaced} replicas) and preempted {_preempted} in {_cycleSeconds:F3} s = {_replicasPlaced / Math.Max(_cycleSeconds, 1e-9):F0} replicas/s; "
            + $"{_scheduler?.PendingCount} pending, {_scheduler?.RunningCount} running at the end");
    }

    private int Cycle()
    {
        long began = Stopwatch.GetTimestamp();
        var result = _scheduler.RunCycle(_now);
        _cycleSeconds += Stopwatch.GetElapsedTime(began).TotalSeconds;
        _cycles++;
        _startedTotal += result.Started.Count;
        _preempted += result.Preemptions.Count;
        foreach (var started in result.Started)
        {
            _replicasPlaced += started.Placement.Replicas.Count;
            _running.Add(started.Id);
        }

        if (result.Preemptions.Count > 0)
        {
            var victims = result.Preemptions.Select(p => p.VictimId).ToHashSet();
            _running.RemoveAll(victims.Contains);
        }

        return result.Started.Count;
    }

    private void Build()
    {
        _random = new Random(42);
        _now = T0;
        _running = [];
        var nodes = Enumerable.Range(0, Nodes).Select(i => new NodeCapacity($"n{i:D5}", 224_000, 2_048 * 1024, 8, "H100-SXM5")).ToList();
        var placer = new BucketGangPlacer(new ClusterSnapshot(nodes));
        _scheduler = new ClusterScheduler(placer, new SchedulerOptions { Policy = Policy }, _metrics);
        for (int c = 0; c < 5; c++)
        {
            _scheduler.Configure(new CohortSpec($"cohort{c}"));
        }

        for (int q = 0; q < Queues; q++)
        {
            _scheduler.Configure(new QueueSpec($"q{q:D2}", $"tenant{q % 17}", $"cohort{q % 5}", 1 + (q % 3), null,
                [new FlavourQuota("H100-SXM5", 80_000.0 / Queues, BorrowingLimit: 800, LendingLimit: 800)]));
        }

        for (int i = 0; i < Pending; i++)
        {
            _scheduler.Submit(Workload(i, _random));
        }
    }

    /// <summary>Mixed sizes: mostly 1–8 GPUs on one node, some 2-, 4- and 16-node gangs of 8 GPUs.</summary>
    private static PendingWorkload Workload(int i, Random random)
    {
        int roll = random.Next(100);
        (int replicas, int gpus) = roll switch
        {
            < 40 => (1, 1),
            < 55 => (1, 2),
            < 70 => (1, 4),
            < 85 => (1, 8),
            < 93 => (2, 8),
            < 98 => (4, 8),
            _ => (16, 8),
        };
        string id = $"job-{i:D7}";
        var gang = new GangRequest(id, replicas, new PlacementRequest(gpus * 8_000, gpus * 64 * 1024, gpus, 1000), []);
        return new PendingWorkload(id, $"q{i % Queues:D2}", random.Next(0, 3), random.Next(4) > 0, gang, T0.AddMilliseconds(i),
            TimeSpan.FromMinutes(random.Next(10, 600)), TimeSpan.FromHours(12));
    }
}
