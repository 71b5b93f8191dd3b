namespace NeoCloud.Fleet.Topology;

/// <summary>The scale-out fabric technology of a site.</summary>
public enum FabricKind
{
    InfiniBand,
    RoCE,
}
