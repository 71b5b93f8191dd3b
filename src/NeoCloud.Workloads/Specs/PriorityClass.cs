namespace NeoCloud.Workloads.Specs;

/// <summary>A named priority: its value (higher wins), whether lower-priority work may be preempted for others, and the runtime it is guaranteed.</summary>
/// <param name="Value">Ordering among classes; preemption within a queue only ever takes from a lower value.</param>
/// <param name="Preemptible">Whether work of this class may be preempted at all (after its guaranteed minimum runtime).</param>
/// <param name="DefaultMinRuntime">How long work of this class runs before it may be preempted, unless its spec says otherwise.</param>
public sealed record PriorityClass(string Name, int Value, bool Preemptible, TimeSpan DefaultMinRuntime);
