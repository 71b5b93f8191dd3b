using NeoCloud.Scheduling.Placement;

namespace NeoCloud.Scheduling.Gangs;

/// <summary>
/// Ranks the candidate nodes of a single-node placement (higher is better) and chooses the GPUs on the chosen node, so the
/// gang placer can place fragmentation-aware; it is told about every change of a node's free capacity.
/// </summary>
public interface INodeScorer
{
    double Score(ClusterSnapshot snapshot, in ResolvedRequest request, int node);

    /// <summary>The GPUs to take on the node, as a mask; the request fits the node.</summary>
    ulong ChooseGpus(ClusterSnapshot snapshot, in ResolvedRequest request, int node);

    /// <summary>The node's free capacity changed (a placement, a release or a restore).</summary>
    void Changed(ClusterSnapshot snapshot, int node);
}
