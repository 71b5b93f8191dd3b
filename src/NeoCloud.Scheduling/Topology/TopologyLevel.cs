using NeoCloud.Scheduling.Placement;

namespace NeoCloud.Scheduling.Topology;

/// <summary>The nested failure and bandwidth domains a gang can be packed into, smallest first.</summary>
public enum TopologyLevel
{
    /// <summary>GPUs joined by NVLink: one node's GPUs, or a whole NVL72 rack.</summary>
    NvlinkDomain = 0,

    /// <summary>One host.</summary>
    Node = 1,

    /// <summary>Nodes under the same leaf switches (one leaf group of the rail-optimised fabric).</summary>
    Leaf = 2,

    /// <summary>Nodes under the same spine block (a pod / scalable unit).</summary>
    Block = 3,

    /// <summary>One data center.</summary>
    Site = 4,
}

/// <summary>How strongly a gang wants to sit inside one domain of a level.</summary>
public enum TopologyMode
{
    /// <summary>Every replica inside one domain of the level, or the gang is not placed.</summary>
    Required,

    /// <summary>Inside one domain when possible; a placement that is scores lower.</summary>
    Preferred,
}

/// <summary>One topology constraint of a gang: all replicas in one domain of <paramref name="Level"/>.</summary>
public sealed record TopologyRequirement(TopologyLevel Level, TopologyMode Mode);

/// <summary>
/// A node as topology-aware placement sees it: its capacity and the domain it belongs to at each level. Domain names are
/// opaque strings; two nodes share a domain when their names at that level are equal.
/// </summary>
public sealed record TopologyNode(NodeCapacity Capacity, string NvlinkDomain, string Leaf, string Block, string Site)
{
    /// <summary>
    /// The rack the node is mounted in, or null when unknown. Racks are not a packing level (an NVL72 rack is its NVLink
    /// domain; other racks need not nest in leaves), only a failure domain that spread gangs keep their replicas apart in.
    /// </summary>
    public string? Rack { get; init; }

    public string DomainAt(TopologyLevel level) => level switch
    {
        TopologyLevel.NvlinkDomain => NvlinkDomain,
        TopologyLevel.Node => Capacity.Name,
        TopologyLevel.Leaf => Leaf,
        TopologyLevel.Block => Block,
        TopologyLevel.Site => Site,
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, null),
    };
}
