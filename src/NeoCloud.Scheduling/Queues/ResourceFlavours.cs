using NeoCloud.Scheduling.Placement;

namespace NeoCloud.Scheduling.Queues;

/// <summary>
/// The resource flavours quotas are kept in, as dense indices over one cluster: 0 = CPU (milli-cores), 1 = memory (MiB),
/// 2 + m = GPU model m of the snapshot (milli-GPU). Integer units keep quota sums exact.
/// </summary>
internal sealed class ResourceFlavours
{
    public const int Cpu = 0;
    public const int Memory = 1;
    public const int FirstGpu = 2;

    private readonly string[] _names;

    public ResourceFlavours(ClusterSnapshot snapshot)
    {
        var models = snapshot.GpuModels;
        _names = [FlavourQuota.Cpu, FlavourQuota.Memory, .. models];
        Capacity = new long[_names.Length];
        for (int n = 0; n < snapshot.NodeCount; n++)
        {
            Capacity[Cpu] += snapshot.CpuCapacity(n);
            Capacity[Memory] += snapshot.MemoryCapacity(n);
            Capacity[FirstGpu + snapshot.ModelOf(n)] += (long)snapshot.GpuCount(n) * PlacementRequest.WholeGpu;
        }
    }

    public int Count => _names.Length;

    /// <summary>What the whole cluster has of each flavour, in the flavour's units (the DRF denominator).</summary>
    public long[] Capacity { get; }

    public string Name(int flavour) => _names[flavour];

    /// <summary>The index of a flavour name, or -1 for a GPU model this cluster does not have.</summary>
    public int IndexOf(string flavour) => Array.IndexOf(_names, flavour);

    public static long ToUnits(int flavour, double amount) => flavour == Memory
        ? (long)Math.Round(amount * 1024, MidpointRounding.AwayFromZero)
        : (long)Math.Round(amount * 1000, MidpointRounding.AwayFromZero);

    public static double FromUnits(int flavour, long units) => flavour == Memory ? units / 1024.0 : units / 1000.0;
}
