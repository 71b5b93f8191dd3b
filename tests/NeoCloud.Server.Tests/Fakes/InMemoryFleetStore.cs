using NeoCloud.Fleet.Lifecycle;
using NeoCloud.Fleet.Store;
using NeoCloud.Fleet.Topology;
using NeoCloud.Kernel;
using NeoCloud.Kernel.Ids;
using NeoCloud.Kernel.Persistence;

namespace NeoCloud.Server.Tests.Fakes;

/// <summary>An <see cref="IFleetStore"/> in a dictionary, for host tests; production uses the SQLite and PostgreSQL stores.</summary>
public sealed class InMemoryFleetStore : IFleetStore
{
    private readonly Lock _gate = new();
    private readonly SortedDictionary<string, Node> _nodes = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, Gpu> _gpus = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<LifecycleTransition>> _history = new(StringComparer.Ordinal);
    private readonly List<RecordedTransition> _log = [];
    private FleetTopology? _topology;

    public Task<bool> HasFleetAsync(CancellationToken cancellationToken) => Task.FromResult(_topology is not null);

    public Task ImportAsync(FleetTopology topology, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _topology = topology;
            foreach (var node in topology.Nodes)
            {
                _nodes[node.Id.Value] = node;
            }

            foreach (var gpu in topology.Gpus)
            {
                _gpus[gpu.Id.Value] = gpu;
            }
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<Region>> ListRegionsAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Region>>([.. Topology.Regions.OrderBy(r => r.Id)]);

    public Task<IReadOnlyList<Site>> ListSitesAsync(RegionId? region, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Site>>([.. Topology.Sites.Where(s => region is null || s.Region == region).OrderBy(s => s.Id)]);

    public Task<IReadOnlyList<Rack>> ListRacksAsync(SiteId? site, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Rack>>([.. Topology.Racks.Where(r => site is null || r.Site == site).OrderBy(r => r.Id)]);

    public Task<Page<Node>> ListNodesAsync(NodeQuery query, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(PageOf(
                _nodes.Values.Where(n =>
                    (query.Region is null || n.Region == query.Region)
                    && (query.Site is null || n.Site == query.Site)
                    && (query.Rack is null || n.Rack == query.Rack)
                    && (query.Sku is null || n.Sku == query.Sku)
                    && (query.State is null || n.State == query.State)
                    && (query.Health is null || n.Health == query.Health)),
                n => n.Id.Value,
                query.Limit,
                query.Cursor));
        }
    }

    public Task<Node?> GetNodeAsync(NodeId id, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_nodes.GetValueOrDefault(id.Value));
        }
    }

    public Task<Page<Gpu>> ListGpusAsync(GpuQuery query, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(PageOf(
                _gpus.Values.Where(g =>
                    (query.Node is null || g.Node == query.Node)
                    && (query.Site is null || _nodes[g.Node.Value].Site == query.Site)
                    && (query.Sku is null || g.Sku == query.Sku)
                    && (query.State is null || g.State == query.State)
                    && (query.Health is null || g.Health == query.Health)),
                g => g.Id.Value,
                query.Limit,
                query.Cursor));
        }
    }

    public Task<Gpu?> GetGpuAsync(GpuId id, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_gpus.GetValueOrDefault(id.Value));
        }
    }

    public Task<IReadOnlyList<FabricLink>> ListLinksAsync(NodeId node, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<FabricLink>>([.. Topology.Links.Where(l => l.From.StartsWith(node.Value + "/", StringComparison.Ordinal))]);

    public Task<IReadOnlyList<LifecycleTransition>> ListTransitionsAsync(string subject, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<LifecycleTransition>>([.. _history.GetValueOrDefault(subject) ?? []]);
        }
    }

    public Task<IReadOnlyList<RecordedTransition>> ListTransitionsAfterAsync(long afterSequence, int limit, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<RecordedTransition>>([.. _log.Where(t => t.Sequence > afterSequence).Take(limit)]);
        }
    }

    public Task<Node> ApplyNodeTransitionAsync(NodeId id, long expectedVersion, LifecycleTransition transition, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var node = _nodes.GetValueOrDefault(id.Value) ?? throw new KeyNotFoundException($"No node '{id}'.");
            if (node.Version != expectedVersion)
            {
                throw new ConcurrencyConflictException($"Node '{id}' is at version {node.Version}, not {expectedVersion}.");
            }

            var updated = node with { State = transition.To, Version = node.Version + 1 };
            _nodes[id.Value] = updated;
            Record(LifecycleActions.Node, transition);
            return Task.FromResult(updated);
        }
    }

    public Task<Gpu> ApplyGpuTransitionAsync(GpuId id, LifecycleTransition transition, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var gpu = _gpus.GetValueOrDefault(id.Value) ?? throw new KeyNotFoundException($"No GPU '{id}'.");
            if (gpu.State != transition.From)
            {
                throw new ConcurrencyConflictException($"GPU '{id}' is {gpu.State}, not {transition.From}.");
            }

            var updated = gpu with { State = transition.To };
            _gpus[id.Value] = updated;
            Record(LifecycleActions.Gpu, transition);
            return Task.FromResult(updated);
        }
    }

    public Task SetNodeHealthAsync(NodeId id, HealthStatus health, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var node = _nodes.GetValueOrDefault(id.Value) ?? throw new KeyNotFoundException($"No node '{id}'.");
            _nodes[id.Value] = node with { Health = health };
        }

        return Task.CompletedTask;
    }

    private FleetTopology Topology => _topology ?? throw new InvalidOperationException("No fleet imported.");

    private void Record(string subjectKind, LifecycleTransition transition)
    {
        _log.Add(new RecordedTransition(_log.Count + 1, subjectKind, transition));
        if (!_history.TryGetValue(transition.Subject, out var list))
        {
            _history[transition.Subject] = list = [];
        }

        list.Add(transition);
    }

    private static Page<T> PageOf<T>(IEnumerable<T> ordered, Func<T, string> key, int limit, string? cursor)
    {
        if (!Cursor.TryDecode(cursor, out string? after))
        {
            throw new ArgumentException("Not a cursor of this store.", nameof(cursor));
        }

        var items = ordered.Where(i => after is null || string.CompareOrdinal(key(i), after) > 0).Take(limit + 1).ToList();
        if (items.Count <= limit)
        {
            return new Page<T>(items, null);
        }

        items.RemoveAt(limit);
        return new Page<T>(items, Cursor.Encode(key(items[^1])));
    }
}
