namespace NeoCloud.Fleet.Topology;

/// <summary>What a fabric link connects.</summary>
public enum LinkKind
{
    /// <summary>A node's NIC port to its rail's leaf switch.</summary>
    NodeToLeaf,

    /// <summary>A leaf switch to a spine switch.</summary>
    LeafToSpine,
}
