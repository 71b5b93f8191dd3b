using NeoCloud.Scheduling.Gangs;
using NeoCloud.Scheduling.Placement;

namespace NeoCloud.Scheduling.Openb;

/// <summary>One openb experiment: GPU demand inflation (1.3 = 130% of capacity), the seed of order and ties, and the policy (ours by default).</summary>
/// <param name="Candidates">For the gang-placer policy: how many candidate nodes its scorer ranks per task.</param>
public sealed record OpenbOptions(double Inflation = 1.3, int Seed = 42, string Policy = PlacementPolicies.Ours, int Candidates = TopologyGangPlacer.DefaultScorerCandidates);
