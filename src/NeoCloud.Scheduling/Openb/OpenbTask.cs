using NeoCloud.Scheduling.Placement;

namespace NeoCloud.Scheduling.Openb;

/// <summary>One pod of an openb pod list: its name and what it asks of one node.</summary>
public sealed record OpenbTask(string Name, PlacementRequest Request);
