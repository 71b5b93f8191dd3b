using NeoCloud.Fleet.Lifecycle;
using NeoCloud.Fleet.Store;
using NeoCloud.Fleet.Topology;
using NeoCloud.Kernel;
using NeoCloud.Kernel.Ids;

namespace NeoCloud.Access.Tests.Fakes;

/// <summary>A Fleet store that is only its transition log: what the lifecycle audit relay reads. The rest is not needed here.</summary>
public sealed class TransitionLogFleetStore : IFleetStore
{
    private readonly Lock _gate = new();
    private readonly List<RecordedTransition> _log = [];

    /// <summary>Commits a transition as the store would, without anyone relaying it: the state a crash right after a commit leaves.</summary>
    public RecordedTransition Commit(string subjectKind, LifecycleTransition transition)
    {
        lock (_gate)
        {
            var recorded = new RecordedTransition(_log.Count + 1, subjectKind, transition);
            _log.Add(recorded);
            return recorded;
        }
    }

    public Task<IReadOnlyList<RecordedTransition>> ListTransitionsAfterAsync(long afterSequence, int limit, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<RecordedTransition>>([.. _log.Where(t => t.Sequence > afterSequence).Take(limit)]);
        }
    }

    public Task<IReadOnlyList<LifecycleTransition>> ListTransitionsAsync(string subject, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<LifecycleTransition>>([.. _log.Where(t => t.Transition.Subject == subject).Select(t => t.Transition)]);
        }
    }

    public Task<bool> HasFleetAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task ImportAsync(FleetTopology topology, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<IReadOnlyList<Region>> ListRegionsAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<IReadOnlyList<Site>> ListSitesAsync(RegionId? region, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<IReadOnlyList<Rack>> ListRacksAsync(SiteId? site, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<Page<Node>> ListNodesAsync(NodeQuery query, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<Node?> GetNodeAsync(NodeId id, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<Page<Gpu>> ListGpusAsync(GpuQuery query, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<Gpu?> GetGpuAsync(GpuId id, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<IReadOnlyList<FabricLink>> ListLinksAsync(NodeId node, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<Node> ApplyNodeTransitionAsync(NodeId id, long expectedVersion, LifecycleTransition transition, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task<Gpu> ApplyGpuTransitionAsync(GpuId id, LifecycleTransition transition, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task SetNodeHealthAsync(NodeId id, HealthStatus health, CancellationToken cancellationToken) => throw new NotSupportedException();
}
