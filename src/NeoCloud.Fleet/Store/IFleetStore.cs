using NeoCloud.Fleet.Lifecycle;
using NeoCloud.Fleet.Topology;
using NeoCloud.Kernel;
using NeoCloud.Kernel.Ids;

namespace NeoCloud.Fleet.Store;

/// <summary>The Fleet context's state of record. Implementations: SQLite (embedded) and PostgreSQL, held to one compliance suite.</summary>
public interface IFleetStore
{
    /// <summary>True when a fleet has been imported.</summary>
    Task<bool> HasFleetAsync(CancellationToken cancellationToken);

    /// <summary>Writes a whole generated fleet in one transaction: all of it or, on any failure, none of it.</summary>
    Task ImportAsync(FleetTopology topology, CancellationToken cancellationToken);

    Task<IReadOnlyList<Region>> ListRegionsAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<Site>> ListSitesAsync(RegionId? region, CancellationToken cancellationToken);

    Task<IReadOnlyList<Rack>> ListRacksAsync(SiteId? site, CancellationToken cancellationToken);

    Task<Page<Node>> ListNodesAsync(NodeQuery query, CancellationToken cancellationToken);

    Task<Node?> GetNodeAsync(NodeId id, CancellationToken cancellationToken);

    Task<Page<Gpu>> ListGpusAsync(GpuQuery query, CancellationToken cancellationToken);

    Task<Gpu?> GetGpuAsync(GpuId id, CancellationToken cancellationToken);

    /// <summary>The fabric links of a node's NIC ports.</summary>
    Task<IReadOnlyList<FabricLink>> ListLinksAsync(NodeId node, CancellationToken cancellationToken);

    /// <summary>The lifecycle history of a node or GPU, oldest first.</summary>
    Task<IReadOnlyList<LifecycleTransition>> ListTransitionsAsync(string subject, CancellationToken cancellationToken);

    /// <summary>
    /// Up to <paramref name="limit"/> transitions of any node or GPU with a sequence above <paramref name="afterSequence"/>,
    /// in sequence order. Each is committed with the state change it records, so the log is an outbox: a relay that
    /// remembers the last sequence it handled sees every change exactly once in order, whatever crashed in between.
    /// </summary>
    Task<IReadOnlyList<RecordedTransition>> ListTransitionsAfterAsync(long afterSequence, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Moves a node to a new state and records the transition, atomically, if the node is still at
    /// <paramref name="expectedVersion"/>; otherwise throws <see cref="Kernel.Persistence.ConcurrencyConflictException"/>.
    /// </summary>
    Task<Node> ApplyNodeTransitionAsync(NodeId id, long expectedVersion, LifecycleTransition transition, CancellationToken cancellationToken);

    /// <summary>Moves a GPU to a new state and records the transition, atomically, if it is still in <see cref="LifecycleTransition.From"/>.</summary>
    Task<Gpu> ApplyGpuTransitionAsync(GpuId id, LifecycleTransition transition, CancellationToken cancellationToken);

    /// <summary>Records what the latest signals say of a node.</summary>
    Task SetNodeHealthAsync(NodeId id, HealthStatus health, CancellationToken cancellationToken);
}
