using NeoCloud.Scheduling.Placement.Filters;

namespace NeoCloud.Scheduling.Placement;

/// <summary>
/// Places one request at a time on a <see cref="ClusterSnapshot"/> in kube-scheduler's shape: PreFilter (resolve the
/// request), Filter, Score + NormalizeScore (weighted by the policy), select (ties broken by a seeded random draw), Reserve.
/// Its buffers are sized once for the snapshot, so a placement allocates nothing.
/// </summary>
public sealed class PlacementPipeline
{
    private readonly ClusterSnapshot _snapshot;
    private readonly PlacementPolicy _policy;
    private readonly IFilterPlugin[] _filters;
    private readonly IReservePlugin[] _reservers;
    private readonly Random _random;
    private readonly int[] _feasible;
    private readonly double[] _raw;
    private readonly double[] _total;

    public PlacementPipeline(ClusterSnapshot snapshot, PlacementPolicy policy, int seed, IReadOnlyList<IFilterPlugin>? filters = null)
    {
        _snapshot = snapshot;
        _policy = policy;
        _filters = filters is null ? DefaultFilters() : [.. filters];
        _reservers = [.. policy.Scores.Select(s => s.Plugin).OfType<IReservePlugin>()];
        if (policy.Binder is IReservePlugin binderReserves && !_reservers.Contains(binderReserves))
        {
            _reservers = [.. _reservers, binderReserves];
        }

        _random = new Random(seed);
        _feasible = new int[snapshot.NodeCount];
        _raw = new double[snapshot.NodeCount];
        _total = new double[snapshot.NodeCount];
    }

    public ClusterSnapshot Snapshot => _snapshot;

    public PlacementPolicy Policy => _policy;

    /// <summary>The filters every policy uses: CPU and memory, GPU model, GPU count and share.</summary>
    public static IFilterPlugin[] DefaultFilters() => [new CpuMemoryFit(), new GpuModelMatch(), new GpuFit()];

    /// <summary>Places the request whole on one node and takes its capacity, or returns null and changes nothing.</summary>
    public Binding? Place(PlacementRequest request)
    {
        var resolved = _snapshot.Resolve(request);
        return Place(resolved);
    }

    /// <inheritdoc cref="Place(PlacementRequest)"/>
    public Binding? Place(in ResolvedRequest request)
    {
        int count = Filter(request);
        if (count == 0)
        {
            return null;
        }

        int node = count == 1 ? _feasible[0] : Select(request, count);
        var binding = new Binding(node, _policy.Binder.ChooseGpus(_snapshot, request, node));
        _snapshot.Assign(binding, request);
        foreach (var reserver in _reservers)
        {
            reserver.Reserved(_snapshot, node);
        }

        return binding;
    }

    /// <summary>Gives back a placement made by <see cref="Place(PlacementRequest)"/>.</summary>
    public void Release(Binding binding, PlacementRequest request)
    {
        _snapshot.Release(binding, _snapshot.Resolve(request));
        foreach (var reserver in _reservers)
        {
            reserver.Unreserved(_snapshot, binding.Node);
        }
    }

    private int Filter(in ResolvedRequest request)
    {
        int count = 0;
        int nodes = _snapshot.NodeCount;
        for (int node = 0; node < nodes; node++)
        {
            bool ok = true;
            foreach (var filter in _filters)
            {
                if (!filter.Filter(_snapshot, request, node))
                {
                    ok = false;
                    break;
                }
            }

            if (ok)
            {
                _feasible[count++] = node;
            }
        }

        return count;
    }

    private int Select(in ResolvedRequest request, int count)
    {
        var total = _total.AsSpan(0, count);
        total.Clear();
        var raw = _raw.AsSpan(0, count);
        foreach (var (plugin, weight) in _policy.Scores)
        {
            for (int i = 0; i < count; i++)
            {
                raw[i] = plugin.Score(_snapshot, request, _feasible[i]);
            }

            plugin.NormalizeScore(raw);
            for (int i = 0; i < count; i++)
            {
                total[i] += weight * raw[i];
            }
        }

        // Reservoir sampling over the best: every node with the top score is equally likely, and a seed replays the run.
        double best = double.NegativeInfinity;
        int chosen = -1, ties = 0;
        for (int i = 0; i < count; i++)
        {
            if (total[i] > best)
            {
                best = total[i];
                chosen = i;
                ties = 1;
            }
            else if (total[i] == best && _random.Next(++ties) == 0)
            {
                chosen = i;
            }
        }

        return _feasible[chosen];
    }
}
