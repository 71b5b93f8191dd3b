namespace NeoCloud.Fleet.Topology;

/// <summary>One cable of the scale-out fabric, e.g. <c>euw1-dc1-r01-n01/mlx5_3</c> to <c>euw1-dc1-su1-l01-r3</c>.</summary>
/// <param name="From">A node port (<c>node/mlx5_N</c>) or a leaf switch id.</param>
/// <param name="To">A leaf or spine switch id.</param>
public sealed record FabricLink(string Id, LinkKind Kind, string From, string To, int Rail, int SpeedGbps);
