namespace NeoCloud.Scheduling.Placement;

/// <summary>A Score extension point: ranks a feasible node (higher is better), then NormalizeScore maps a cycle's scores to 0..100.</summary>
public interface IScorePlugin
{
    string Name { get; }

    double Score(ClusterSnapshot snapshot, in ResolvedRequest request, int node);

    /// <summary>Maps the raw scores of one cycle onto 0..<see cref="ScoreScale.MaxNodeScore"/>; min-max by default.</summary>
    void NormalizeScore(Span<double> scores) => ScoreScale.MinMax(scores);
}
