namespace NeoCloud.Scheduling.Topology;

/// <summary>The failure domain whose members a spread gang keeps apart: no two replicas of the gang share a domain of this kind.</summary>
public enum SpreadLevel
{
    /// <summary>One host: every replica on its own node.</summary>
    Node = 0,

    /// <summary>One rack (power and top-of-rack cooling): every replica in its own rack; a node with no rack name takes no replica.</summary>
    Rack = 1,

    /// <summary>Nodes under the same leaf switches.</summary>
    Leaf = 2,

    /// <summary>One data center.</summary>
    Site = 3,
}
