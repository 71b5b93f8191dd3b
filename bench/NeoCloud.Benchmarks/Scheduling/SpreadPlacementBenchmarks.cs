using BenchmarkDotNet.Attributes;
using NeoCloud.Scheduling.Gangs;
using NeoCloud.Scheduling.Placement;
using NeoCloud.Scheduling.Topology;

namespace NeoCloud.Benchmarks.Scheduling;

/// <summary>
/// Spread gangs (services) on the 10,000-node × 8-GPU churn topology at 70–90% allocated: one placement and its release
/// per operation, so the cluster stays as it was. Spread placement scans every node once per replica, so this is the
/// cost that grows with the fleet.
/// </summary>
[MemoryDiagnoser]
public class SpreadPlacementBenchmarks
{
    private GangChurn _churn = null!;
    private GangRequest _gang = null!;

    [Params(SpreadLevel.Node, SpreadLevel.Leaf, SpreadLevel.Site)]
    public SpreadLevel Spread { get; set; }

    [Params(3)]
    public int Replicas { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _churn = new GangChurn();
        _churn.FillTo(0.80);
        for (int i = 0; i < 20_000; i++)
        {
            _churn.Step();
        }

        _gang = new GangRequest("svc", Replicas, new PlacementRequest(8000, 64 * 1024, 1, PlacementRequest.WholeGpu), []) { Spread = Spread };
        Console.WriteLine($"// fill {_churn.Fill:P1}, live gangs {_churn.Live}");
    }

    /// <summary>Places the spread gang and gives it back.</summary>
    [Benchmark]
    public int PlaceAndRelease()
    {
        var placement = _churn.Placer.TryPlace(_gang) ?? throw new InvalidOperationException("the spread gang did not fit");
        _churn.Placer.Release(_gang, placement);
        return placement.Replicas.Count;
    }
}
