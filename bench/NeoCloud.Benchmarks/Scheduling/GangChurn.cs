using NeoCloud.Scheduling.Gangs;
using NeoCloud.Scheduling.Placement;
using NeoCloud.Scheduling.Topology;

namespace NeoCloud.Benchmarks.Scheduling;

/// <summary>
/// A fixed, seeded stream of mixed gangs placed on the 10,000-node × 8-GPU synthetic topology (leaves of 32 nodes, blocks
/// of 8 leaves, 16 blocks per site: 3 sites), with random releases keeping the allocated share of GPUs in a band
/// (70–90% by default): above the top, or on a refusal above the bottom, random live gangs are released down to the middle.
/// </summary>
public sealed class GangChurn
{
    public const int Nodes = 10_000;
    private readonly double _high;
    private readonly double _low;

    private readonly GangRequest[] _stream;
    private readonly List<(GangRequest Gang, GangPlacement Placement)> _live = new(Nodes * 8);
    private readonly Random _random;
    private int _next;

    public GangChurn(int seed = 42, int streamLength = 100_000, double low = 0.70, double high = 0.90)
    {
        _low = low;
        _high = high;
        Placer = new TopologyGangPlacer(SyntheticTopology.Build(Nodes, 8, nodesPerLeaf: 32, leavesPerBlock: 8, blocksPerSite: 16, "H100"));
        _random = new Random(seed);
        _stream = [.. Enumerable.Range(0, streamLength).Select(i => Next(_random, i))];
        AverageReplicas = _stream.Average(g => g.Replicas);
    }

    public TopologyGangPlacer Placer { get; }

    /// <summary>Mean replicas per gang of the stream.</summary>
    public double AverageReplicas { get; }

    public double Fill => (double)Placer.Snapshot.GpuAllocatedMilli / Placer.Snapshot.GpuCapacityMilli;

    public int Live => _live.Count;

    /// <summary>The next gang of the stream (it wraps around).</summary>
    public GangRequest NextGang() => _stream[_next++ % _stream.Length];

    /// <summary>Places until the cluster is <paramref name="fill"/> allocated (failures skipped).</summary>
    public void FillTo(double fill)
    {
        while (Fill < fill)
        {
            var gang = NextGang();
            if (Placer.TryPlace(gang) is { } placement)
            {
                _live.Add((gang, placement));
            }
        }
    }

    /// <summary>Records a placement made by the caller, then releases random live gangs while above 90%.</summary>
    public void Placed(GangRequest gang, GangPlacement? placement)
    {
        if (placement is not null)
        {
            _live.Add((gang, placement));
        }

        if (Fill > _high || (placement is null && Fill > _low))
        {
            while (Fill > (_high + _low) / 2)
            {
                ReleaseOne();
            }
        }
    }

    /// <summary>One decision of the stream and its share of releases; the replicas placed, or 0 when refused.</summary>
    public int Step()
    {
        var gang = NextGang();
        var placement = Placer.TryPlace(gang);
        Placed(gang, placement);
        return placement is null ? 0 : gang.Replicas;
    }

    private void ReleaseOne()
    {
        int i = _random.Next(_live.Count);
        var (gang, placement) = _live[i];
        _live[i] = _live[^1];
        _live.RemoveAt(_live.Count - 1);
        Placer.Release(gang, placement);
    }

    // The mix of the issue: 1×1 GPU, 1×fraction, 1×8, 2..16 × 8-GPU multi-node (block required, leaf preferred),
    // 1..4 × 4 GPUs (leaf preferred). CPU and memory scale with GPUs, below the node's per-GPU share.
    private static GangRequest Next(Random random, int i)
    {
        int draw = random.Next(100);
        string id = $"gang-{i}";
        if (draw < 30)
        {
            return new GangRequest(id, 1, Whole(1), []);
        }

        if (draw < 50)
        {
            return new GangRequest(id, 1, new PlacementRequest(2000, 16 * 1024, 1, random.Next(1, 10) * 100), []);
        }

        if (draw < 65)
        {
            return new GangRequest(id, 1, Whole(8), []);
        }

        if (draw < 75)
        {
            return new GangRequest(id, random.Next(2, 17), Whole(8), [new(TopologyLevel.Block, TopologyMode.Required), new(TopologyLevel.Leaf, TopologyMode.Preferred)]);
        }

        return new GangRequest(id, random.Next(1, 5), Whole(4), [new(TopologyLevel.Leaf, TopologyMode.Preferred)]);
    }

    private static PlacementRequest Whole(int gpus) => new(gpus * 12_000, gpus * 96 * 1024, gpus, PlacementRequest.WholeGpu);
}
