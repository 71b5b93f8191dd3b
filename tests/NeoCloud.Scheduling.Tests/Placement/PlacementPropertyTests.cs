using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NeoCloud.Scheduling.Fragmentation;
using NeoCloud.Scheduling.Placement;

namespace NeoCloud.Scheduling.Tests.Placement;

/// <summary>Invariants that hold for any cluster, any stream of requests and every policy.</summary>
public sealed class PlacementPropertyTests
{
    private static readonly string[] Models = ["T4", "V100", "A10"];

    [Property(MaxTest = 60)]
    public Property Capacity_stays_exact_whatever_is_placed_and_released(PositiveInt seed, byte policyIndex) =>
        Run(seed.Get, PlacementPolicies.Names[policyIndex % PlacementPolicies.Names.Count]).ToProperty();

    private static bool Run(int seed, string policyName)
    {
        var random = new Random(seed);
        var nodes = Enumerable.Range(0, random.Next(1, 8))
            .Select(i => new NodeCapacity($"n{i}", random.Next(1, 9) * 1000, random.Next(1, 9) * 1024, random.Next(0, 9), Models[random.Next(Models.Length)]))
            .ToList();
        var requests = Enumerable.Range(0, random.Next(1, 80)).Select(_ => RandomRequest(random)).ToList();
        var snapshot = new ClusterSnapshot(nodes);
        var pipeline = new PlacementPipeline(snapshot, PlacementPolicies.Create(policyName, snapshot, TypicalTasks.From(requests)), seed);

        // What we believe each node and GPU has given out, rebuilt from the bindings alone.
        var cpuUsed = new long[nodes.Count];
        var memUsed = new long[nodes.Count];
        var gpuUsed = nodes.Select(n => new int[n.GpuCount]).ToArray();
        var placed = new List<(Binding Binding, PlacementRequest Request)>();
        foreach (var request in requests)
        {
            bool fitsSomewhere = Enumerable.Range(0, nodes.Count).Any(n => snapshot.Fits(n, snapshot.Resolve(request)));
            var binding = pipeline.Place(request);
            if (binding is not { } b)
            {
                if (fitsSomewhere)
                {
                    return false;
                }

                continue;
            }

            // Placed whole on one node: every GPU it asked for, on that node, within the model constraint.
            if (b.GpuCount != request.GpuCount || (request.GpuModels is { Count: > 0 } m && request.GpuCount > 0 && !m.Contains(nodes[b.Node].GpuModel)))
            {
                return false;
            }

            cpuUsed[b.Node] += request.CpuMilli;
            memUsed[b.Node] += request.MemoryMib;
            for (ulong mask = b.GpuMask; mask != 0; mask &= mask - 1)
            {
                gpuUsed[b.Node][BitOperations.TrailingZeroCount(mask)] += request.GpuMilli;
            }

            placed.Add((b, request));
            if (!Consistent(snapshot, nodes, cpuUsed, memUsed, gpuUsed))
            {
                return false;
            }
        }

        foreach (var (binding, request) in placed)
        {
            pipeline.Release(binding, request);
        }

        return snapshot.GpuAllocatedMilli == 0
            && Enumerable.Range(0, nodes.Count).All(n => snapshot.CpuFree(n) == nodes[n].CpuMilli && snapshot.GpuFree(n).ToArray().All(g => g == 1000));
    }

    private static bool Consistent(ClusterSnapshot snapshot, List<NodeCapacity> nodes, long[] cpuUsed, long[] memUsed, int[][] gpuUsed)
    {
        long allocated = 0;
        for (int n = 0; n < nodes.Count; n++)
        {
            if (cpuUsed[n] > nodes[n].CpuMilli || memUsed[n] > nodes[n].MemoryMib
                || snapshot.CpuFree(n) != nodes[n].CpuMilli - cpuUsed[n] || snapshot.MemoryFree(n) != nodes[n].MemoryMib - memUsed[n])
            {
                return false;
            }

            var free = snapshot.GpuFree(n);
            for (int g = 0; g < free.Length; g++)
            {
                // No GPU milli given twice: what the bindings took on a GPU never passes 1000 and matches what the snapshot holds back.
                if (gpuUsed[n][g] > 1000 || free[g] != 1000 - gpuUsed[n][g])
                {
                    return false;
                }

                allocated += gpuUsed[n][g];
            }
        }

        return allocated == snapshot.GpuAllocatedMilli;
    }

    private static PlacementRequest RandomRequest(Random random)
    {
        int kind = random.Next(4);
        int cpu = random.Next(0, 4) * 1000, mem = random.Next(0, 4) * 1024;
        IReadOnlyList<string>? models = random.Next(4) == 0 ? [Models[random.Next(Models.Length)]] : null;
        return kind switch
        {
            0 => new PlacementRequest(cpu, mem, 0, 0),
            1 => new PlacementRequest(cpu, mem, 1, random.Next(1, 1000), models),
            _ => new PlacementRequest(cpu, mem, random.Next(1, 5), 1000, models),
        };
    }
}
