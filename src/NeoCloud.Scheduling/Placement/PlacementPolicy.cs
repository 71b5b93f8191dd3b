namespace NeoCloud.Scheduling.Placement;

/// <summary>A placement policy: a weighted set of score plugins and the GPU binder that picks devices on the chosen node.</summary>
public sealed record PlacementPolicy(string Name, IReadOnlyList<WeightedScore> Scores, IGpuBinder Binder);
