using NeoCloud.Scheduling.Gangs;
using NeoCloud.Scheduling.Placement;

namespace NeoCloud.Benchmarks.Scheduling;

/// <summary>
/// A simple, fast gang placer for scheduler benchmarks until the topology-aware one lands: whole-GPU replicas go best-fit
/// to the node with the fewest free whole GPUs that still holds them (nodes kept in buckets by free whole GPUs, O(1)
/// moves), shares and CPU-only replicas first-fit; all-or-nothing; topology ignored.
/// </summary>
public sealed class BucketGangPlacer : IGangPlacer
{
    private readonly bool[] _unschedulable;
    private readonly int[] _bucket;
    private readonly int[] _next;
    private readonly int[] _prev;
    private readonly int[] _head;

    public BucketGangPlacer(ClusterSnapshot snapshot)
    {
        Snapshot = snapshot;
        int n = snapshot.NodeCount;
        _unschedulable = new bool[n];
        _bucket = new int[n];
        _next = new int[n];
        _prev = new int[n];
        _head = new int[ClusterSnapshot.MaxGpusPerNode + 1];
        Array.Fill(_head, -1);
        for (int node = n - 1; node >= 0; node--)
        {
            _bucket[node] = -1;
            Refile(node);
        }
    }

    public ClusterSnapshot Snapshot { get; }

    public GangPlacement? TryPlace(GangRequest gang)
    {
        var request = Snapshot.Resolve(gang.Replica);
        var bindings = new Binding[gang.Replicas];
        for (int r = 0; r < gang.Replicas; r++)
        {
            int node = request.GpuCount > 0 && !request.IsShare ? BestFit(request) : FirstFit(request);
            if (node < 0)
            {
                for (int i = 0; i < r; i++)
                {
                    Snapshot.Release(bindings[i], request);
                    Refile(bindings[i].Node);
                }

                return null;
            }

            bindings[r] = new Binding(node, Pick(node, request));
            Snapshot.Assign(bindings[r], request);
            Refile(node);
        }

        return new GangPlacement(gang.Id, bindings);
    }

    public void Bind(GangRequest gang, GangPlacement placement)
    {
        var request = Snapshot.Resolve(gang.Replica);
        foreach (var binding in placement.Replicas)
        {
            Snapshot.Assign(binding, request);
            Refile(binding.Node);
        }
    }

    public void Release(GangRequest gang, GangPlacement placement)
    {
        var request = Snapshot.Resolve(gang.Replica);
        foreach (var binding in placement.Replicas)
        {
            Snapshot.Release(binding, request);
            Refile(binding.Node);
        }
    }

    public void SetSchedulable(int node, bool schedulable)
    {
        _unschedulable[node] = !schedulable;
        Refile(node);
    }

    public bool IsSchedulable(int node) => !_unschedulable[node];

    private int BestFit(in ResolvedRequest request)
    {
        for (int b = request.GpuCount; b < _head.Length; b++)
        {
            for (int node = _head[b]; node >= 0; node = _next[node])
            {
                if (Snapshot.Fits(node, request))
                {
                    return node;
                }
            }
        }

        return -1;
    }

    private int FirstFit(in ResolvedRequest request)
    {
        for (int node = 0; node < Snapshot.NodeCount; node++)
        {
            if (!_unschedulable[node] && Snapshot.Fits(node, request))
            {
                return node;
            }
        }

        return -1;
    }

    private ulong Pick(int node, in ResolvedRequest request)
    {
        ulong mask = 0;
        int need = request.GpuCount;
        var free = Snapshot.GpuFree(node);
        for (int g = 0; g < free.Length && need > 0; g++)
        {
            if (free[g] >= request.GpuMilli)
            {
                mask |= 1UL << g;
                need--;
            }
        }

        return mask;
    }

    /// <summary>Moves the node to the bucket of its free whole GPUs (out of every bucket while unschedulable).</summary>
    private void Refile(int node)
    {
        int bucket = _unschedulable[node] ? -1 : Snapshot.GpusWithAtLeast(node, PlacementRequest.WholeGpu);
        if (bucket == _bucket[node])
        {
            return;
        }

        if (_bucket[node] >= 0)
        {
            if (_prev[node] >= 0)
            {
                _next[_prev[node]] = _next[node];
            }
            else
            {
                _head[_bucket[node]] = _next[node];
            }

            if (_next[node] >= 0)
            {
                _prev[_next[node]] = _prev[node];
            }
        }

        _bucket[node] = bucket;
        if (bucket >= 0)
        {
            _prev[node] = -1;
            _next[node] = _head[bucket];
            if (_head[bucket] >= 0)
            {
                _prev[_head[bucket]] = node;
            }

            _head[bucket] = node;
        }
    }
}
