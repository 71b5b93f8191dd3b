using NeoCloud.Scheduling.Placement;

namespace NeoCloud.Scheduling.Fragmentation;

/// <summary>
/// The "typical" GPU tasks of a workload (FGD): the most frequent task shapes that together cover a share (95% by
/// default) of the GPU tasks, their frequencies renormalised to sum to 1. CPU-only tasks are left out: they cannot use
/// GPU capacity, so every node's idle GPUs would count as fragment for them alike and they change no ranking.
/// </summary>
public sealed class TypicalTasks
{
    public const double DefaultCoverage = 0.95;

    private TypicalTasks(IReadOnlyList<TaskShape> shapes, IReadOnlyList<TaskShape> allShapes)
    {
        Shapes = shapes;
        AllShapes = allShapes;
    }

    public IReadOnlyList<TaskShape> Shapes { get; }

    /// <summary>Every GPU task shape of the workload, most frequent first, frequencies over all GPU tasks (no coverage cut).</summary>
    public IReadOnlyList<TaskShape> AllShapes { get; }

    public static TypicalTasks From(IEnumerable<PlacementRequest> tasks, double coverage = DefaultCoverage)
    {
        if (coverage is <= 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(coverage), "coverage must be in (0, 1]");
        }

        var counts = new Dictionary<(int Cpu, int Mem, int Count, int Milli, string Models), int>();
        int total = 0;
        foreach (var task in tasks)
        {
            if (task.GpuCount == 0)
            {
                continue;
            }

            string models = task.GpuModels is { Count: > 0 } m ? string.Join('|', m.Order(StringComparer.Ordinal)) : "";
            var key = (task.CpuMilli, task.MemoryMib, task.GpuCount, task.GpuMilli, models);
            counts[key] = counts.GetValueOrDefault(key) + 1;
            total++;
        }

        // Most frequent first; equal counts in a fixed order so the same list always gives the same typical set.
        var ordered = counts
            .OrderByDescending(kv => kv.Value)
            .ThenByDescending(kv => (long)kv.Key.Count * kv.Key.Milli)
            .ThenBy(kv => kv.Key.Cpu)
            .ThenBy(kv => kv.Key.Mem)
            .ThenBy(kv => kv.Key.Models, StringComparer.Ordinal)
            .ToList();
        var chosen = new List<KeyValuePair<(int Cpu, int Mem, int Count, int Milli, string Models), int>>();
        long covered = 0;
        foreach (var kv in ordered)
        {
            if (covered >= coverage * total)
            {
                break;
            }

            chosen.Add(kv);
            covered += kv.Value;
        }

        return new TypicalTasks(
            [.. chosen.Select(kv => new TaskShape(kv.Key.Cpu, kv.Key.Mem, kv.Key.Count, kv.Key.Milli, kv.Key.Models, (double)kv.Value / covered))],
            [.. ordered.Select(kv => new TaskShape(kv.Key.Cpu, kv.Key.Mem, kv.Key.Count, kv.Key.Milli, kv.Key.Models, (double)kv.Value / total))]);
    }

    /// <summary>A typical set given directly; it is also taken as the workload's whole shape histogram.</summary>
    public static TypicalTasks Of(IReadOnlyList<TaskShape> shapes) => new(shapes, shapes);
}
