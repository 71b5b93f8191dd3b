using System.Collections.Frozen;

namespace NeoCloud.Workloads.Specs;

/// <summary>
/// The built-in priority classes. <c>low</c> is scavenger work that may be preempted at once; <c>normal</c> (the default)
/// and <c>high</c> are guaranteed a short run so a restart always makes progress past its last checkpoint;
/// <c>critical</c> is never preempted.
/// </summary>
public static class PriorityClasses
{
    public static readonly PriorityClass Low = new("low", 100, Preemptible: true, TimeSpan.Zero);

    public static readonly PriorityClass Normal = new("normal", 1_000, Preemptible: true, TimeSpan.FromMinutes(10));

    public static readonly PriorityClass High = new("high", 10_000, Preemptible: true, TimeSpan.FromMinutes(30));

    public static readonly PriorityClass Critical = new("critical", 100_000, Preemptible: false, TimeSpan.Zero);

    public static readonly IReadOnlyList<PriorityClass> All = [Low, Normal, High, Critical];

    /// <summary>The class a spec gets when it names none.</summary>
    public static PriorityClass Default => Normal;

    private static readonly FrozenDictionary<string, PriorityClass> ByName = All.ToFrozenDictionary(p => p.Name, StringComparer.Ordinal);

    public static bool TryGet(string name, out PriorityClass priorityClass) => ByName.TryGetValue(name, out priorityClass!);
}
