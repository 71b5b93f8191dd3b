using BenchmarkDotNet.Attributes;
using NeoCloud.Fleet.Spec;
using NeoCloud.Fleet.Topology;
using NeoCloud.Health.Catalog;
using NeoCloud.Health.Detection;
using NeoCloud.Health.Findings;
using NeoCloud.Health.Signals;

namespace NeoCloud.Benchmarks.Health;

/// <summary>
/// The detection engine over one scrape round of 10,000 nodes × 8 H100 (80,000 GPUs, 80,000 IB ports) with normal
/// values, 85% of the nodes busy in gangs of one and two nodes. Each invocation is a new round 30 s after the last:
/// <c>BeginRound</c> is the cost of restarting the frame and marking every sample present (what a filler does anyway),
/// <c>ObserveRound</c> adds every detector, <c>ObserveRoundWithWorkMoved</c> also moves one gang so the straggler
/// detector has to regroup (sort) the busy GPUs. ns per GPU = time / 80,000.
/// </summary>
[MemoryDiagnoser]
public class DetectionBenchmarks
{
    private const string Spec = """
        apiVersion: neocloud.dev/v1
        kind: Fleet
        metadata:
          name: detection-bench
        spec:
          regions:
            - name: bch1
              displayName: Bench 1
              sites:
                - name: dc1
                  pods: 10
                  racksPerPod: 250
                  nodesPerRack: 4
                  skuMix:
                    - { sku: h100-sxm5-80gb, percent: 100 }
                  fabric: { kind: infiniband, rails: 8, nodesPerLeafGroup: 32, spinesPerPod: 8, linkSpeedGbps: 400 }
        """;

    private readonly CountingSink _sink = new();
    private FleetTopology _topology = null!;
    private SignalFrame _frame = null!;
    private DetectionEngine _engine = null!;
    private DateTimeOffset _at = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private int _round;

    [GlobalSetup]
    public void Setup()
    {
        _topology = FleetGenerator.Generate(FleetSpecReader.Parse(Spec));
        _frame = new SignalFrame(_topology);
        _engine = new DetectionEngine(_topology, FaultCatalog.Default, new DetectionOptions());
        var random = new Random(42);
        for (int n = 0; n < _topology.Nodes.Count; n++)
        {
            // 85% busy; pairs of nodes share a two-node gang half of the time.
            long work = random.NextDouble() < 0.85 ? 1 + (random.NextDouble() < 0.5 ? n / 2 * 2 : n) : 0;
            for (int g = _topology.GpuOffsets[n]; g < _topology.GpuOffsets[n + 1]; g++)
            {
                _frame.WorkOfGpu[g] = work;
                ref var s = ref _frame.Gpus[g];
                s.GpuTempC = 55 + random.Next(20);
                s.MemoryTempC = 60 + random.Next(20);
                s.PowerW = work == 0 ? 90 : 600;
                s.SmClockMhz = work == 0 ? 345 : 1980 - random.Next(60);
                s.UtilPercent = work == 0 ? 0 : 90 + random.Next(10);
                s.ClockEventReasons = work == 0 ? 0x1 : 0;
                s.EccSbeVolatile = random.Next(3);
                s.PcieReplays = random.Next(5);
            }
        }

        for (int r = 0; r < 10; r++)
        {
            ObserveRound();
        }

        Console.WriteLine($"// {_topology.Nodes.Count} nodes, {_topology.GpuCount} GPUs, {_frame.Ports.Length} ports; findings while warming: {_sink.Count}");
    }

    [Benchmark(Baseline = true)]
    public int BeginRound()
    {
        _at += TimeSpan.FromSeconds(30);
        _frame.Begin(_at);
        MarkPresent();
        return _frame.Gpus.Length;
    }

    [Benchmark]
    public int ObserveRound()
    {
        BeginRound();
        _engine.Observe(_frame, _sink);
        return _sink.Count;
    }

    [Benchmark]
    public int ObserveRoundWithWorkMoved()
    {
        BeginRound();
        int node = _round++ % 64;
        long work = _frame.WorkOfGpu[_topology.GpuOffsets[node]] == 0 ? 1_000_000 + node : 0;
        _frame.WorkOfGpu.AsSpan(_topology.GpuOffsets[node], 8).Fill(work);
        _engine.Observe(_frame, _sink);
        return _sink.Count;
    }

    private void MarkPresent()
    {
        Array.Fill(_frame.NodeAnswered, true);
        var gpus = _frame.Gpus;
        for (int i = 0; i < gpus.Length; i++)
        {
            gpus[i].Present = true;
        }

        var ports = _frame.Ports;
        for (int i = 0; i < ports.Length; i++)
        {
            ports[i].Present = true;
            ports[i].Up = true;
        }
    }

    private sealed class CountingSink : IFindingSink
    {
        public int Count { get; private set; }

        public void Raise(Finding finding) => Count++;
    }
}
