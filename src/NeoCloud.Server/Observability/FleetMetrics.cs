using NeoCloud.Fleet.Lifecycle;
using NeoCloud.Fleet.Store;
using NeoCloud.Server.Fleet;
using NeoCloud.Server.Json;
using Prometheus;

namespace NeoCloud.Server.Observability;

/// <summary>
/// The Fleet context's Prometheus metrics, in a registry of this host's own, so two hosts in one process
/// (tests, the simulator) never share or overwrite each other's series.
/// </summary>
public sealed class FleetMetrics
{
    private readonly Gauge _nodes;
    private readonly Counter _transitions;

    public FleetMetrics(IServiceScopeFactory scopes, ILogger<FleetMetrics> logger)
    {
        Registry = Metrics.NewCustomRegistry();
        Factory = Metrics.WithCustomRegistry(Registry);
        _nodes = Factory.CreateGauge(
            "neocloud_fleet_nodes", "Nodes in the fleet, by lifecycle state.", new GaugeConfiguration { LabelNames = ["state"] });
        _transitions = Factory.CreateCounter(
            "neocloud_fleet_lifecycle_transitions_total", "Lifecycle transitions applied to nodes and GPUs, by the state entered.",
            new CounterConfiguration { LabelNames = ["to"] });

        // The gauge is computed from the store of record at scrape time, so it is never stale and needs no event wiring.
        Registry.AddBeforeCollectCallback(async cancellationToken =>
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var store = scope.ServiceProvider.GetRequiredService<IFleetStore>();
                var summary = await FleetSummary.ComputeAsync(store, cancellationToken);
                foreach (var state in Enum.GetValues<LifecycleState>())
                {
                    _nodes.WithLabels(WireNames.Of(state)).Set(summary.ByState.GetValueOrDefault(WireNames.Of(state)));
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Could not read the fleet store for neocloud_fleet_nodes; the gauge keeps its last values");
            }
        });
    }

    public CollectorRegistry Registry { get; }

    /// <summary>Creates further collectors in this host's registry (HTTP metrics use it too).</summary>
    public IMetricFactory Factory { get; }

    public void CountTransition(LifecycleState to) => _transitions.WithLabels(WireNames.Of(to)).Inc();
}
