using NeoCloud.Scheduling.Placement;

namespace NeoCloud.Scheduling.Topology;

/// <summary>
/// The nodes of a cluster with their nested domains (node ⊂ NVLink domain ⊂ leaf ⊂ block ⊂ site) as dense indexes, and the
/// <see cref="ClusterSnapshot"/> of their free capacity. Built once and validated: node names are unique and every domain
/// sits inside one domain of the level above it.
/// </summary>
public sealed class ClusterTopology
{
    private const int LevelCount = 5;

    private readonly TopologyNode[] _nodes;

    // Per level: the domain index of each node, the domain names, and the nodes of each domain in CSR form (start offsets
    // into one node array), so "the nodes of leaf 17" is a span and costs nothing.
    private readonly int[][] _domainOf = new int[LevelCount][];
    private readonly string[][] _domainNames = new string[LevelCount][];
    private readonly int[][] _domainStart = new int[LevelCount][];
    private readonly int[][] _domainNodes = new int[LevelCount][];

    // Racks are a failure domain only (spread), not a packing level: an index per node, -1 where the rack is not known.
    private readonly int[] _rackOf;
    private readonly string[] _rackNames;
    private int _claimed;

    public ClusterTopology(IReadOnlyList<TopologyNode> nodes)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        if (nodes.Count == 0)
        {
            throw new ArgumentException("a topology needs at least one node", nameof(nodes));
        }

        _nodes = [.. nodes];
        var positions = new Dictionary<string, int>(_nodes.Length, StringComparer.Ordinal);
        for (int i = 0; i < _nodes.Length; i++)
        {
            var node = _nodes[i] ?? throw new ArgumentException($"node at position {i} is null", nameof(nodes));
            CheckName(node.Capacity?.Name, i, "node name");
            CheckName(node.NvlinkDomain, i, "NVLink domain");
            CheckName(node.Leaf, i, "leaf");
            CheckName(node.Block, i, "block");
            CheckName(node.Site, i, "site");
            if (node.Rack is not null)
            {
                CheckName(node.Rack, i, "rack");
            }

            if (!positions.TryAdd(node.Capacity!.Name, i))
            {
                throw new ArgumentException($"duplicate node name '{node.Capacity.Name}' at positions {positions[node.Capacity.Name]} and {i}", nameof(nodes));
            }
        }

        for (int level = 0; level < LevelCount; level++)
        {
            Index((TopologyLevel)level);
        }

        // Node ⊂ NVLink domain holds by construction (a node names one NVLink domain); each level above must nest.
        CheckNested(TopologyLevel.NvlinkDomain, TopologyLevel.Leaf);
        CheckNested(TopologyLevel.Leaf, TopologyLevel.Block);
        CheckNested(TopologyLevel.Block, TopologyLevel.Site);

        (_rackOf, _rackNames) = IndexRacks(_nodes);
        NvlinkSpansNodes = DomainCount(TopologyLevel.NvlinkDomain) != _nodes.Length;
        Snapshot = new ClusterSnapshot([.. _nodes.Select(n => n.Capacity)]);
    }

    /// <summary>The free capacity of the topology's nodes; node indexes are the same as the topology's.</summary>
    public ClusterSnapshot Snapshot { get; }

    public int NodeCount => _nodes.Length;

    /// <summary>True when some NVLink domain holds several nodes (GB200 NVL72 racks); otherwise it is the node itself.</summary>
    public bool NvlinkSpansNodes { get; }

    public TopologyNode Node(int node) => _nodes[node];

    /// <summary>True the first time only: the snapshot's incremental indexes live in one placer, so it gets one writer.</summary>
    internal bool ClaimSnapshot() => Interlocked.Exchange(ref _claimed, 1) == 0;

    public int DomainCount(TopologyLevel level) => _domainNames[(int)level].Length;

    /// <summary>Index of the node's domain at <paramref name="level"/> (at <see cref="TopologyLevel.Node"/>, the node itself).</summary>
    public int DomainOf(int node, TopologyLevel level) => _domainOf[(int)level][node];

    public string DomainName(TopologyLevel level, int domain) => _domainNames[(int)level][domain];

    /// <summary>How many distinct racks the nodes name.</summary>
    public int RackCount => _rackNames.Length;

    /// <summary>Index of the node's rack, or -1 when its rack is not known.</summary>
    public int RackOf(int node) => _rackOf[node];

    public string RackName(int rack) => _rackNames[rack];

    /// <summary>
    /// Index of the node's failure domain of kind <paramref name="level"/> (indexes of one kind are dense from 0), or -1
    /// when the node does not say (a node without a rack name).
    /// </summary>
    public int SpreadDomainOf(int node, SpreadLevel level) => level switch
    {
        SpreadLevel.Node => node,
        SpreadLevel.Rack => _rackOf[node],
        SpreadLevel.Leaf => _domainOf[(int)TopologyLevel.Leaf][node],
        SpreadLevel.Site => _domainOf[(int)TopologyLevel.Site][node],
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, "not a spread level"),
    };

    /// <summary>The nodes of one domain, in the order they were given.</summary>
    public ReadOnlySpan<int> NodesIn(TopologyLevel level, int domain)
    {
        var start = _domainStart[(int)level];
        return _domainNodes[(int)level].AsSpan(start[domain], start[domain + 1] - start[domain]);
    }

    private static void CheckName(string? name, int position, string what)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException($"node at position {position}: {what} is empty", "nodes");
        }
    }

    private static (int[] Of, string[] Names) IndexRacks(TopologyNode[] nodes)
    {
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var of = new int[nodes.Length];
        for (int i = 0; i < nodes.Length; i++)
        {
            if (nodes[i].Rack is not { } rack)
            {
                of[i] = -1;
                continue;
            }

            if (!ids.TryGetValue(rack, out int id))
            {
                id = ids.Count;
                ids.Add(rack, id);
            }

            of[i] = id;
        }

        var names = new string[ids.Count];
        foreach (var (name, id) in ids)
        {
            names[id] = name;
        }

        return (of, names);
    }

    private void Index(TopologyLevel level)
    {
        int l = (int)level;
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var names = new List<string>();
        var of = new int[_nodes.Length];
        for (int i = 0; i < _nodes.Length; i++)
        {
            string name = _nodes[i].DomainAt(level);
            if (!ids.TryGetValue(name, out int id))
            {
                id = names.Count;
                ids.Add(name, id);
                names.Add(name);
            }

            of[i] = id;
        }

        var start = new int[names.Count + 1];
        foreach (int d in of)
        {
            start[d + 1]++;
        }

        for (int d = 0; d < names.Count; d++)
        {
            start[d + 1] += start[d];
        }

        var members = new int[_nodes.Length];
        var fill = start[..^1];
        for (int i = 0; i < _nodes.Length; i++)
        {
            members[fill[of[i]]++] = i;
        }

        _domainOf[l] = of;
        _domainNames[l] = [.. names];
        _domainStart[l] = start;
        _domainNodes[l] = members;
    }

    private void CheckNested(TopologyLevel inner, TopologyLevel outer)
    {
        var firstNode = new int[DomainCount(inner)];
        Array.Fill(firstNode, -1);
        for (int i = 0; i < _nodes.Length; i++)
        {
            int d = DomainOf(i, inner);
            int first = firstNode[d];
            if (first < 0)
            {
                firstNode[d] = i;
            }
            else if (DomainOf(first, outer) != DomainOf(i, outer))
            {
                throw new ArgumentException(
                    $"{Describe(inner)} '{DomainName(inner, d)}' is split across {Plural(outer)} '{_nodes[first].DomainAt(outer)}' (node {_nodes[first].Capacity.Name}) "
                    + $"and '{_nodes[i].DomainAt(outer)}' (node {_nodes[i].Capacity.Name}); a {Describe(inner)} must sit in one {Describe(outer)}",
                    "nodes");
            }
        }
    }

    private static string Plural(TopologyLevel level) => level == TopologyLevel.Leaf ? "leaves" : Describe(level) + "s";

    private static string Describe(TopologyLevel level) => level switch
    {
        TopologyLevel.NvlinkDomain => "NVLink domain",
        TopologyLevel.Node => "node",
        TopologyLevel.Leaf => "leaf",
        TopologyLevel.Block => "block",
        _ => "site",
    };
}
