using NeoCloud.Scheduling.Gangs;

namespace NeoCloud.Scheduling.Cycles;

/// <summary>A workload a cycle admitted and placed; <paramref name="Backfilled"/> when it started behind a reservation.</summary>
public sealed record StartedWorkload(string Id, string Queue, GangPlacement Placement, bool Backfilled);
