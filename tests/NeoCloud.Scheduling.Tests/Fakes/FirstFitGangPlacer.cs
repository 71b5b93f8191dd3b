using NeoCloud.Scheduling.Gangs;
using NeoCloud.Scheduling.Placement;

namespace NeoCloud.Scheduling.Tests.Fakes;

/// <summary>
/// A small honest gang placer for scheduler tests: first fit over the snapshot in node order, lowest GPU indices first,
/// all replicas or none, topology ignored. Capacity is kept exact by the snapshot itself.
/// </summary>
public sealed class FirstFitGangPlacer(ClusterSnapshot snapshot) : IGangPlacer
{
    private readonly bool[] _unschedulable = new bool[snapshot.NodeCount];

    public FirstFitGangPlacer(IReadOnlyList<NodeCapacity> nodes) : this(new ClusterSnapshot(nodes))
    {
    }

    public ClusterSnapshot Snapshot { get; } = snapshot;

    public int TryPlaceCalls { get; private set; }

    public GangPlacement? TryPlace(GangRequest gang)
    {
        TryPlaceCalls++;
        var request = Snapshot.Resolve(gang.Replica);
        var bindings = new List<Binding>(gang.Replicas);
        for (int node = 0; node < Snapshot.NodeCount && bindings.Count < gang.Replicas; node++)
        {
            while (bindings.Count < gang.Replicas && !_unschedulable[node] && Snapshot.Fits(node, request))
            {
                var binding = new Binding(node, PickGpus(node, request));
                Snapshot.Assign(binding, request);
                bindings.Add(binding);
            }
        }

        if (bindings.Count < gang.Replicas)
        {
            foreach (var binding in bindings)
            {
                Snapshot.Release(binding, request);
            }

            return null;
        }

        return new GangPlacement(gang.Id, bindings);
    }

    public void Bind(GangRequest gang, GangPlacement placement)
    {
        var request = Snapshot.Resolve(gang.Replica);
        int done = 0;
        try
        {
            foreach (var binding in placement.Replicas)
            {
                Snapshot.Assign(binding, request);
                done++;
            }
        }
        catch
        {
            for (int i = 0; i < done; i++)
            {
                Snapshot.Release(placement.Replicas[i], request);
            }

            throw;
        }
    }

    public void Release(GangRequest gang, GangPlacement placement)
    {
        var request = Snapshot.Resolve(gang.Replica);
        foreach (var binding in placement.Replicas)
        {
            Snapshot.Release(binding, request);
        }
    }

    public void SetSchedulable(int node, bool schedulable) => _unschedulable[node] = !schedulable;

    public bool IsSchedulable(int node) => !_unschedulable[node];

    private ulong PickGpus(int node, in ResolvedRequest request)
    {
        ulong mask = 0;
        int need = request.GpuCount;
        var free = Snapshot.GpuFree(node);
        for (int g = 0; g < free.Length && need > 0; g++)
        {
            if (free[g] >= request.GpuMilli)
            {
                mask |= 1UL << g;
                need--;
            }
        }

        return mask;
    }
}
