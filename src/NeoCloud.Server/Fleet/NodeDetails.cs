using NeoCloud.Fleet.Lifecycle;
using NeoCloud.Fleet.Topology;

namespace NeoCloud.Server.Fleet;

/// <summary>A node with everything <c>neoctl describe node</c> shows: its GPUs, fabric links and lifecycle history (oldest first).</summary>
public sealed record NodeDetails(Node Node, IReadOnlyList<Gpu> Gpus, IReadOnlyList<FabricLink> Links, IReadOnlyList<LifecycleTransition> History);
