using System.Collections.Frozen;
using NeoCloud.Kernel.Ids;

namespace NeoCloud.Fleet.Topology;

/// <summary>A whole fleet's hardware and fabric, indexed for the topology questions placement and diagnosis ask.</summary>
public sealed class FleetTopology
{
    private readonly FrozenDictionary<NodeId, int> _nodeIndex;
    private readonly FrozenDictionary<string, int[]> _nodesByLeafGroup;
    private readonly FrozenDictionary<PduId, int[]> _nodesByPdu;
    private readonly FrozenDictionary<RackId, int[]> _nodesByRack;
    private readonly FrozenDictionary<SwitchId, FabricSwitch> _switches;

    public FleetTopology(
        string name,
        IReadOnlyList<Region> regions,
        IReadOnlyList<Site> sites,
        IReadOnlyList<Pod> pods,
        IReadOnlyList<Rack> racks,
        IReadOnlyList<Node> nodes,
        IReadOnlyList<Gpu> gpus,
        IReadOnlyList<FabricSwitch> switches,
        IReadOnlyList<FabricLink> links)
    {
        Name = name;
        Regions = regions;
        Sites = sites;
        Pods = pods;
        Racks = racks;
        Nodes = nodes;
        Gpus = gpus;
        Switches = switches;
        Links = links;

        var index = new Dictionary<NodeId, int>(nodes.Count);
        for (int i = 0; i < nodes.Count; i++)
        {
            index.Add(nodes[i].Id, i);
        }

        _nodeIndex = index.ToFrozenDictionary();
        _nodesByLeafGroup = Group(nodes, n => n.LeafGroup).ToFrozenDictionary(StringComparer.Ordinal);
        _nodesByPdu = Group(nodes, n => n.Pdu).ToFrozenDictionary();
        _nodesByRack = Group(nodes, n => n.Rack).ToFrozenDictionary();
        _switches = switches.ToFrozenDictionary(s => s.Id);
        GpuOffsets = new int[nodes.Count + 1];
        for (int i = 0; i < nodes.Count; i++)
        {
            GpuOffsets[i + 1] = GpuOffsets[i] + nodes[i].GpuCount;
        }
    }

    public string Name { get; }
    public IReadOnlyList<Region> Regions { get; }
    public IReadOnlyList<Site> Sites { get; }
    public IReadOnlyList<Pod> Pods { get; }
    public IReadOnlyList<Rack> Racks { get; }
    public IReadOnlyList<Node> Nodes { get; }

    /// <summary>All GPUs, in node order: the GPUs of node i are <c>Gpus[GpuOffsets[i]..GpuOffsets[i+1]]</c>.</summary>
    public IReadOnlyList<Gpu> Gpus { get; }

    /// <summary>Prefix sums of GPUs per node, so the twin and placement address GPUs by dense index.</summary>
    public int[] GpuOffsets { get; }

    public IReadOnlyList<FabricSwitch> Switches { get; }
    public IReadOnlyList<FabricLink> Links { get; }

    public bool TryGetNodeIndex(NodeId id, out int index) => _nodeIndex.TryGetValue(id, out index);

    public Node GetNode(NodeId id) =>
        _nodeIndex.TryGetValue(id, out int i) ? Nodes[i] : throw new KeyNotFoundException($"No node '{id}' in fleet '{Name}'.");

    public bool TryGetSwitch(SwitchId id, out FabricSwitch sw) => _switches.TryGetValue(id, out sw!);

    /// <summary>Dense indexes of the nodes under one leaf group (all rails).</summary>
    public ReadOnlySpan<int> NodesInLeafGroup(string leafGroup) =>
        _nodesByLeafGroup.TryGetValue(leafGroup, out var n) ? n : [];

    /// <summary>Dense indexes of the nodes a leaf or spine switch carries traffic for.</summary>
    public IReadOnlyList<int> NodesUnderSwitch(SwitchId id)
    {
        if (!_switches.TryGetValue(id, out var sw))
        {
            return [];
        }

        if (sw.Tier == SwitchTier.Leaf)
        {
            return _nodesByLeafGroup.TryGetValue(sw.LeafGroup!, out var n) ? n : [];
        }

        var result = new List<int>();
        for (int i = 0; i < Nodes.Count; i++)
        {
            if (Nodes[i].Pod == sw.Pod)
            {
                result.Add(i);
            }
        }

        return result;
    }

    public ReadOnlySpan<int> NodesOnPdu(PduId pdu) => _nodesByPdu.TryGetValue(pdu, out var n) ? n : [];

    public ReadOnlySpan<int> NodesInRack(RackId rack) => _nodesByRack.TryGetValue(rack, out var n) ? n : [];

    public int GpuCount => Gpus.Count;

    private static Dictionary<TKey, int[]> Group<TKey>(IReadOnlyList<Node> nodes, Func<Node, TKey> key)
        where TKey : notnull
    {
        var lists = new Dictionary<TKey, List<int>>();
        for (int i = 0; i < nodes.Count; i++)
        {
            var k = key(nodes[i]);
            if (!lists.TryGetValue(k, out var list))
            {
                lists[k] = list = [];
            }

            list.Add(i);
        }

        return lists.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray());
    }
}
