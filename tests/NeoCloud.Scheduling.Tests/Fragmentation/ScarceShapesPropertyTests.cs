using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NeoCloud.Scheduling.Fragmentation;
using NeoCloud.Scheduling.Placement;

namespace NeoCloud.Scheduling.Tests.Fragmentation;

/// <summary>The scarce-shape host counts are a cache refreshed one node at a time: they must always equal a recount.</summary>
public sealed class ScarceShapesPropertyTests
{
    private static readonly string[] Models = ["T4", "G2"];

    [Property(MaxTest = 60)]
    public Property Host_counts_equal_a_recount_after_any_placements_and_releases(PositiveInt seed) =>
        Run(seed.Get).ToProperty();

    private static bool Run(int seed)
    {
        var random = new Random(seed);
        var nodes = Enumerable.Range(0, random.Next(1, 6))
            .Select(i => new NodeCapacity($"n{i}", random.Next(1, 9) * 4000, random.Next(1, 9) * 4096, random.Next(1, 9), Models[random.Next(Models.Length)]))
            .ToList();
        var requests = Enumerable.Range(0, random.Next(1, 60)).Select(_ => Request(random)).ToList();
        var snapshot = new ClusterSnapshot(nodes);
        var shapes = TypicalTasks.From(requests).AllShapes;
        var scarce = new ScarceShapes(snapshot, shapes, weight: 1000);
        var binder = new TightestGpuBinder();
        var placed = new List<(Binding Binding, ResolvedRequest Request)>();
        foreach (var request in requests)
        {
            var resolved = snapshot.Resolve(request);
            if (placed.Count > 0 && random.Next(4) == 0)
            {
                var (binding, taken) = placed[random.Next(placed.Count)];
                placed.Remove((binding, taken));
                snapshot.Release(binding, taken);
                scarce.Refresh(binding.Node);
            }

            int node = random.Next(nodes.Count);
            if (snapshot.Fits(node, resolved))
            {
                var binding = new Binding(node, binder.ChooseGpus(snapshot, resolved, node));
                if (scarce.Cost(node, resolved, binding.GpuMask) < 0)
                {
                    return false;
                }

                snapshot.Assign(binding, resolved);
                scarce.Refresh(node);
                placed.Add((binding, resolved));
            }
        }

        var recount = new ScarceShapes(snapshot, shapes, weight: 1000);
        return Enumerable.Range(0, Math.Min(shapes.Count, 64)).All(s => scarce.Hosts(s) == recount.Hosts(s));
    }

    private static PlacementRequest Request(Random random)
    {
        int cpu = random.Next(0, 5) * 2000, mem = random.Next(0, 5) * 2048;
        IReadOnlyList<string>? models = random.Next(4) == 0 ? [Models[random.Next(Models.Length)]] : null;
        return random.Next(3) switch
        {
            0 => new PlacementRequest(cpu, mem, 1, random.Next(1, 10) * 100, models),
            _ => new PlacementRequest(cpu, mem, random.Next(1, 5), 1000, models),
        };
    }
}
