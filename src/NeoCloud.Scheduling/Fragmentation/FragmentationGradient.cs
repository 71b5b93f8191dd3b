using NeoCloud.Scheduling.Placement;

namespace NeoCloud.Scheduling.Fragmentation;

/// <summary>
/// FGD as a score plugin, GPU binder and reserve plugin: a node scores higher the less placing the request there adds
/// to the cluster's expected fragmentation (only that node's term changes), the GPUs chosen are those that add the
/// least, and after a placement only that node's cached fragmentation is recomputed. Optionally (our <c>neocloud</c>
/// policy) the score also counts, in the same milli-GPU, the GPUs the placement strands for want of CPU or memory
/// (<see cref="StrandedGpus"/>) and the rare shapes it stops the node hosting (<see cref="ScarceShapes"/>), and rewards a
/// share that closes a GPU another share already uses (<see cref="ShareHoles"/>).
/// </summary>
public sealed class FragmentationGradient : IScorePlugin, IGpuBinder, IReservePlugin
{
    private readonly FragmentationModel _model;
    private readonly StrandedGpus? _stranded;
    private readonly double _strandedWeight;
    private readonly ScarceShapes? _scarce;
    private readonly ShareHoles? _holes;

    /// <param name="strandedWeight">Weight of the GPUs stranded for want of CPU or memory; 0 leaves them out (FGD as published).</param>
    /// <param name="scarceWeight">Weight of the rare shapes a placement stops the node hosting (see <see cref="ScarceShapes"/>); 0 leaves them out.</param>
    /// <param name="holeWeight">Bonus per milli-GPU of the gap a share closes on a GPU another share already uses (see <see cref="ShareHoles"/>); 0 leaves it out.</param>
    public FragmentationGradient(ClusterSnapshot snapshot, TypicalTasks typical, double strandedWeight = 0, double scarceWeight = 0, double holeWeight = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(strandedWeight);
        ArgumentOutOfRangeException.ThrowIfNegative(scarceWeight);
        ArgumentOutOfRangeException.ThrowIfNegative(holeWeight);
        _model = new FragmentationModel(snapshot, typical);
        _strandedWeight = strandedWeight;
        _stranded = strandedWeight > 0 ? new StrandedGpus(snapshot, typical.Shapes) : null;
        _scarce = scarceWeight > 0 ? new ScarceShapes(snapshot, typical.AllShapes, scarceWeight) : null;
        _holes = holeWeight > 0 ? new ShareHoles(typical.AllShapes, holeWeight) : null;
    }

    public string Name => "FragmentationGradient";

    /// <summary>The node's current expected fragmentation in milli-GPU.</summary>
    public double NodeFragmentation(int node) => _model.Of(node);

    public double Score(ClusterSnapshot snapshot, in ResolvedRequest request, int node)
    {
        double score = _model.Of(node) - _model.IfPlaced(node, request, out ulong gpuMask);
        if (_stranded is not null)
        {
            score -= _strandedWeight * _stranded.Increase(node, request);
        }

        if (_scarce is not null)
        {
            score -= _scarce.Cost(node, request, gpuMask);
        }

        if (_holes is not null)
        {
            score += _holes.Bonus(snapshot.GpuFree(node), request, gpuMask);
        }

        return score;
    }

    public ulong ChooseGpus(ClusterSnapshot snapshot, in ResolvedRequest request, int node)
    {
        _model.IfPlaced(node, request, out ulong mask);
        return mask;
    }

    public void Reserved(ClusterSnapshot snapshot, int node)
    {
        _model.Refresh(node);
        _scarce?.Refresh(node);
    }

    public void Unreserved(ClusterSnapshot snapshot, int node)
    {
        _model.Refresh(node);
        _scarce?.Refresh(node);
    }
}
