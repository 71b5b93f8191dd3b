using Microsoft.Extensions.Options;
using NeoCloud.Fleet.Lifecycle;
using NeoCloud.Fleet.Store;
using NeoCloud.Fleet.Topology;
using NeoCloud.Kernel.Ids;
using NeoCloud.Scheduling.Queues;
using NeoCloud.Server.Hosting;
using NeoCloud.Workloads.Placement;
using NeoCloud.Workloads.Store;

namespace NeoCloud.Server.Workloads;

/// <summary>
/// Drives the job flow: at start it applies the declared queues (declaring the default one on a fresh install) and
/// recovers jobs from the store; then, every cycle, it delivers the executor's reports, refreshes which nodes and GPUs
/// may take work from the fleet's lifecycle and health, and runs a scheduling cycle.
/// </summary>
internal sealed class SchedulingService(
    WorkloadRuntime runtime,
    IWorkloadStore store,
    IFleetStore fleet,
    FleetSource fleetSource,
    IOptions<SchedulingOptions> options,
    TimeProvider clock,
    ILogger<SchedulingService> logger) : BackgroundService
{
    private readonly HashSet<GpuId> _held = [];
    private DateTimeOffset _nextRefresh = DateTimeOffset.MinValue;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await ApplyDeclarationsAsync(cancellationToken);
        await RefreshCapacityAsync(cancellationToken);
        await runtime.Controller.RecoverAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.CycleInterval, clock);
        try
        {
            do
            {
                try
                {
                    await CycleAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // One bad cycle (a store hiccup) must not stop scheduling; the next cycle starts from the store's truth.
                    logger.LogError(ex, "Scheduling cycle failed");
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One pass: reports in, capacity refreshed when due, then a scheduling cycle.</summary>
    internal async Task CycleAsync(CancellationToken cancellationToken)
    {
        if (runtime.TwinExecutor is { } twin)
        {
            await twin.FlushAsync(cancellationToken);
        }

        if (clock.GetUtcNow() >= _nextRefresh)
        {
            await RefreshCapacityAsync(cancellationToken);
        }

        // Placement learns what typically arrives: the scorer is rebuilt from recent submissions once enough are new.
        await runtime.Controller.RefreshPlacementScorerAsync(options.Value.ScorerRefreshJobs, cancellationToken);
        await runtime.Controller.RunCycleAsync(cancellationToken);
    }

    private async Task ApplyDeclarationsAsync(CancellationToken cancellationToken)
    {
        var declared = await store.ListDeclarationsAsync(null, null, cancellationToken);
        if (declared.Count == 0 && options.Value.DefaultQueue)
        {
            var now = clock.GetUtcNow();
            foreach (var (kind, name, tenant, document) in QueueDeclarations.Split(DefaultQueues.Manifest(fleetSource.Topology)))
            {
                await store.UpsertDeclarationAsync(kind, name, tenant is { } t ? new TenantId(t) : null, document, 0, now, cancellationToken);
            }

            logger.LogInformation("Declared the default queue over the whole fleet");
            declared = await store.ListDeclarationsAsync(null, null, cancellationToken);
        }

        await runtime.Controller.ApplyAsync(QueueDeclarations.Read(declared), cancellationToken);
    }

    private async Task RefreshCapacityAsync(CancellationToken cancellationToken)
    {
        _nextRefresh = clock.GetUtcNow() + options.Value.CapacityRefreshInterval;
        string? cursor = null;
        do
        {
            var page = await fleet.ListNodesAsync(new NodeQuery { Limit = 1000, Cursor = cursor }, cancellationToken);
            foreach (var node in page.Items)
            {
                await runtime.Controller.SetSchedulableAsync(node.Id, FleetPlacementView.IsSchedulable(node.State, node.Health), cancellationToken);
            }

            cursor = page.NextCursor;
        }
        while (cursor is not null);

        // GPUs out of service on nodes that are in service: hold them away from placement; give back those that returned.
        var outOfService = new HashSet<GpuId>();
        foreach (var state in OutOfService)
        {
            await CollectGpusAsync(new GpuQuery { State = state }, outOfService, cancellationToken);
        }

        await CollectGpusAsync(new GpuQuery { Health = HealthStatus.Unhealthy }, outOfService, cancellationToken);

        foreach (var gpu in outOfService)
        {
            if (await runtime.Controller.HoldGpuAsync(gpu, hold: true, cancellationToken))
            {
                _held.Add(gpu);
            }
        }

        foreach (var gpu in _held.Where(g => !outOfService.Contains(g)).ToList())
        {
            await runtime.Controller.HoldGpuAsync(gpu, hold: false, cancellationToken);
            _held.Remove(gpu);
        }
    }

    private async Task CollectGpusAsync(GpuQuery query, HashSet<GpuId> into, CancellationToken cancellationToken)
    {
        string? cursor = null;
        do
        {
            var page = await fleet.ListGpusAsync(query with { Limit = 1000, Cursor = cursor }, cancellationToken);
            foreach (var gpu in page.Items)
            {
                into.Add(gpu.Id);
            }

            cursor = page.NextCursor;
        }
        while (cursor is not null);
    }

    private static readonly LifecycleState[] OutOfService =
        [LifecycleState.Cordoned, LifecycleState.Draining, LifecycleState.Quarantined, LifecycleState.Repair, LifecycleState.Rma, LifecycleState.Decommissioned, LifecycleState.BurnIn, LifecycleState.Provisioning];
}
