namespace NeoCloud.Scheduling.Placement;

/// <summary>A score plugin and its weight in a policy.</summary>
public sealed record WeightedScore(IScorePlugin Plugin, double Weight);
