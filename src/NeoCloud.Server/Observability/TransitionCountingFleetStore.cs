using NeoCloud.Fleet.Lifecycle;
using NeoCloud.Fleet.Store;
using NeoCloud.Fleet.Topology;
using NeoCloud.Kernel;
using NeoCloud.Kernel.Ids;

namespace NeoCloud.Server.Observability;

/// <summary>Counts every lifecycle transition the store commits, whichever command made it, into <c>neocloud_fleet_lifecycle_transitions_total</c>.</summary>
internal sealed class TransitionCountingFleetStore(IFleetStore inner, FleetMetrics metrics) : IFleetStore
{
    public async Task<Node> ApplyNodeTransitionAsync(NodeId id, long expectedVersion, LifecycleTransition transition, CancellationToken cancellationToken)
    {
        var node = await inner.ApplyNodeTransitionAsync(id, expectedVersion, transition, cancellationToken);
        metrics.CountTransition(transition.To);
        return node;
    }

    public async Task<Gpu> ApplyGpuTransitionAsync(GpuId id, LifecycleTransition transition, CancellationToken cancellationToken)
    {
        var gpu = await inner.ApplyGpuTransitionAsync(id, transition, cancellationToken);
        metrics.CountTransition(transition.To);
        return gpu;
    }

    public Task<IReadOnlyList<RecordedTransition>> ListTransitionsAfterAsync(long afterSequence, int limit, CancellationToken cancellationToken) =>
        inner.ListTransitionsAfterAsync(afterSequence, limit, cancellationToken);

    public Task<bool> HasFleetAsync(CancellationToken cancellationToken) => inner.HasFleetAsync(cancellationToken);

    public Task ImportAsync(FleetTopology topology, CancellationToken cancellationToken) => inner.ImportAsync(topology, cancellationToken);

    public Task<IReadOnlyList<Region>> ListRegionsAsync(CancellationToken cancellationToken) => inner.ListRegionsAsync(cancellationToken);

    public Task<IReadOnlyList<Site>> ListSitesAsync(RegionId? region, CancellationToken cancellationToken) => inner.ListSitesAsync(region, cancellationToken);

    public Task<IReadOnlyList<Rack>> ListRacksAsync(SiteId? site, CancellationToken cancellationToken) => inner.ListRacksAsync(site, cancellationToken);

    public Task<Page<Node>> ListNodesAsync(NodeQuery query, CancellationToken cancellationToken) => inner.ListNodesAsync(query, cancellationToken);

    public Task<Node?> GetNodeAsync(NodeId id, CancellationToken cancellationToken) => inner.GetNodeAsync(id, cancellationToken);

    public Task<Page<Gpu>> ListGpusAsync(GpuQuery query, CancellationToken cancellationToken) => inner.ListGpusAsync(query, cancellationToken);

    public Task<Gpu?> GetGpuAsync(GpuId id, CancellationToken cancellationToken) => inner.GetGpuAsync(id, cancellationToken);

    public Task<IReadOnlyList<FabricLink>> ListLinksAsync(NodeId node, CancellationToken cancellationToken) => inner.ListLinksAsync(node, cancellationToken);

    public Task<IReadOnlyList<LifecycleTransition>> ListTransitionsAsync(string subject, CancellationToken cancellationToken) =>
        inner.ListTransitionsAsync(subject, cancellationToken);

    public Task SetNodeHealthAsync(NodeId id, HealthStatus health, CancellationToken cancellationToken) =>
        inner.SetNodeHealthAsync(id, health, cancellationToken);
}
