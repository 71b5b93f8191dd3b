using NeoCloud.Scheduling.Placement;

namespace NeoCloud.Scheduling.Topology;

/// <summary>
/// A regular topology for tests and benchmarks: nodes filled leaf by leaf, leaves into blocks, blocks into sites, the
/// last site possibly partial. Each node has 16 CPU cores and 128 GiB of memory per GPU (an HGX H100 node shape).
/// </summary>
public static class SyntheticTopology
{
    /// <summary>CPU milli given per GPU of a node.</summary>
    public const int CpuMilliPerGpu = 16_000;

    /// <summary>Memory given per GPU of a node.</summary>
    public const int MemoryMibPerGpu = 128 * 1024;

    /// <summary>The validated topology, with its snapshot, of <see cref="Nodes"/>.</summary>
    public static ClusterTopology Build(int nodes, int gpusPerNode, int nodesPerLeaf, int leavesPerBlock, int blocksPerSite, string model, int nodesPerNvlinkDomain = 1) =>
        new(Nodes(nodes, gpusPerNode, nodesPerLeaf, leavesPerBlock, blocksPerSite, model, nodesPerNvlinkDomain));

    /// <summary>
    /// The nodes, named <c>s{site}-b{block}-l{leaf}-n{node}</c> with globally unique domain names. An NVLink domain is
    /// the node itself when <paramref name="nodesPerNvlinkDomain"/> is 1, else runs of that many nodes inside a leaf (an
    /// NVL72 rack is 18 nodes of 4 GPUs).
    /// </summary>
    public static IReadOnlyList<TopologyNode> Nodes(int nodes, int gpusPerNode, int nodesPerLeaf, int leavesPerBlock, int blocksPerSite, string model, int nodesPerNvlinkDomain = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(nodes);
        ArgumentOutOfRangeException.ThrowIfNegative(gpusPerNode);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(gpusPerNode, ClusterSnapshot.MaxGpusPerNode);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(nodesPerLeaf);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(leavesPerBlock);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(blocksPerSite);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(nodesPerNvlinkDomain);
        ArgumentException.ThrowIfNullOrWhiteSpace(model);

        var result = new TopologyNode[nodes];
        for (int i = 0; i < nodes; i++)
        {
            int leaf = i / nodesPerLeaf;
            int block = leaf / leavesPerBlock;
            int site = block / blocksPerSite;
            string leafName = $"s{site}-b{block}-l{leaf}";
            string name = $"{leafName}-n{i}";
            string nvlink = nodesPerNvlinkDomain == 1 ? name : $"{leafName}-nvl{i % nodesPerLeaf / nodesPerNvlinkDomain}";
            var capacity = new NodeCapacity(name, Math.Max(gpusPerNode, 1) * CpuMilliPerGpu, Math.Max(gpusPerNode, 1) * MemoryMibPerGpu, gpusPerNode, model);
            result[i] = new TopologyNode(capacity, nvlink, leafName, $"s{site}-b{block}", $"s{site}");
        }

        return result;
    }
}
