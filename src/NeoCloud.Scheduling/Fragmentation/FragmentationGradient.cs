using NeoCloud.Scheduling.Placement;

namespace NeoCloud.Scheduling.Fragmentation;

/// <summary>
/// FGD as a score plugin, GPU binder and reserve plugin: a node scores higher the less placing the request there adds
/// to the cluster's expected fragmentation (only that node's term changes), the GPUs chosen are those that add the
/// least, and after a placement only that node's cached fragmentation is recomputed.
/// </summary>
public sealed class FragmentationGradient : IScorePlugin, IGpuBinder, IReservePlugin
{
    private readonly FragmentationModel _model;

    public FragmentationGradient(ClusterSnapshot snapshot, TypicalTasks typical) => _model = new FragmentationModel(snapshot, typical);

    public string Name => "FragmentationGradient";

    /// <summary>The node's current expected fragmentation in milli-GPU.</summary>
    public double NodeFragmentation(int node) => _model.Of(node);

    public double Score(ClusterSnapshot snapshot, in ResolvedRequest request, int node) =>
        _model.Of(node) - _model.IfPlaced(node, request, out _);

    public ulong ChooseGpus(ClusterSnapshot snapshot, in ResolvedRequest request, int node)
    {
        _model.IfPlaced(node, request, out ulong mask);
        return mask;
    }

    public void Reserved(ClusterSnapshot snapshot, int node) => _model.Refresh(node);

    public void Unreserved(ClusterSnapshot snapshot, int node) => _model.Refresh(node);
}
