using BenchmarkDotNet.Attributes;
using NeoCloud.Scheduling.Gangs;
using NeoCloud.Scheduling.Placement;
using NeoCloud.Scheduling.Topology;

namespace NeoCloud.Benchmarks.Scheduling;

/// <summary>
/// Topology-aware gang placement on 10,000 nodes × 8 GPUs kept 70–90% (or 78–98%) allocated: the time per gang of the mixed stream
/// (its decision plus its share of releases), and the time to refuse a gang no domain can hold.
/// Replicas/s = mean replicas per gang (printed at setup) / time per gang.
/// </summary>
[MemoryDiagnoser]
public class GangPlacementBenchmarks
{
    private const int Batch = 1000;
    private GangChurn _churn = null!;
    private GangRequest _impossible = null!;

    /// <summary>Top of the allocation band; the bottom is 20 points lower.</summary>
    [Params(0.90, 0.98)]
    public double HighFill { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _churn = new GangChurn(low: HighFill - 0.20, high: HighFill);
        _churn.FillTo(HighFill - 0.10);
        for (int i = 0; i < 20_000; i++)
        {
            _churn.Step();
        }

        _impossible = new GangRequest("too-big", 40, new PlacementRequest(1000, 1024, 8, PlacementRequest.WholeGpu), [new(TopologyLevel.Leaf, TopologyMode.Required)]);
        Console.WriteLine($"// mean replicas per gang {_churn.AverageReplicas:F3}, fill {_churn.Fill:P1}, live gangs {_churn.Live}");
    }

    /// <summary>One gang of the mixed stream per operation, with the releases that keep the fill in its band.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public int MixedStream()
    {
        int replicas = 0;
        for (int i = 0; i < Batch; i++)
        {
            replicas += _churn.Step();
        }

        return replicas;
    }

    /// <summary>A 40-node gang that must sit in one 32-node leaf: refused from the aggregates.</summary>
    [Benchmark]
    public GangPlacement? UnplaceableGang() => _churn.Placer.TryPlace(_impossible);
}
