using NeoCloud.Scheduling.Gangs;
using NeoCloud.Scheduling.Placement;

namespace NeoCloud.Scheduling.Fragmentation;

/// <summary>
/// Our placement policy's scoring (<see cref="PlacementPolicies.Ours"/>: FGD with stranded GPUs, scarce shapes and share
/// holes) as a node scorer for the gang placer, so the job flow places single-node work the way the openb benchmark
/// measures.
/// </summary>
public sealed class FragmentationScorer(ClusterSnapshot snapshot, TypicalTasks typical) : INodeScorer
{
    private readonly FragmentationGradient _gradient = new(
        snapshot, typical, PlacementPolicies.StrandedWeight, PlacementPolicies.ScarceWeight, PlacementPolicies.HoleWeight);

    public double Score(ClusterSnapshot snapshot, in ResolvedRequest request, int node) => _gradient.Score(snapshot, request, node);

    public ulong ChooseGpus(ClusterSnapshot snapshot, in ResolvedRequest request, int node) => _gradient.ChooseGpus(snapshot, request, node);

    public void Changed(ClusterSnapshot snapshot, int node) => _gradient.Reserved(snapshot, node);
}
