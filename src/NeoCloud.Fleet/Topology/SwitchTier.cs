namespace NeoCloud.Fleet.Topology;

/// <summary>Where a switch sits in the fabric.</summary>
public enum SwitchTier
{
    Leaf,
    Spine,
}
