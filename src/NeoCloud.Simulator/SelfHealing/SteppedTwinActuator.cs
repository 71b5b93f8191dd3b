using NeoCloud.Fleet.Actuation;
using NeoCloud.Kernel.Ids;
using NeoCloud.Plugins.Lifecycle;
using NeoCloud.Simulator.Actuation;
using NeoCloud.Simulator.Twin;

namespace NeoCloud.Simulator.SelfHealing;

/// <summary>
/// The twin's actuator for the single-threaded self-healing loop: each action's task completes inside the tick that
/// finishes it (on the ticking thread, not on the thread pool), so the remediation engine, which polls its actions,
/// sees the same completions on every run with the same seed. The effects are <see cref="TwinActuator"/>'s.
/// </summary>
internal sealed class SteppedTwinActuator(FleetTwin twin) : IHardwareActuator
{
    private readonly TwinActuator _twin = new(twin);

    public IReadOnlySet<HardwareAction> Supported => _twin.Supported;

    public IReadOnlyList<ConfigField> ConfigSchema => [];

    public Task InitAsync(PluginContext context, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public ValueTask<PluginHealth> CheckHealthAsync(CancellationToken cancellationToken) => ValueTask.FromResult(PluginHealth.Ready);

    public Task DrainAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<ActuationResult> ExecuteAsync(ActuationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (twin.State.Gate)
        {
            try
            {
                return Start(request);
            }
            catch (Exception ex) when (ex is InvalidOperationException or KeyNotFoundException or ArgumentException or FormatException)
            {
                return Task.FromResult(new ActuationResult(false, TimeSpan.Zero, $"{request.Action} of {request.Target} refused: {ex.Message}"));
            }
        }
    }

    private Task<ActuationResult> Start(ActuationRequest request)
    {
        switch (request.Action)
        {
            case HardwareAction.ResetGpu:
                return When(_twin.ResetGpu(new GpuId(request.Target)));
            case HardwareAction.RebootNode or HardwareAction.PowerCycleNode:
                return When(_twin.RebootNode(new NodeId(request.Target)));
            case HardwareAction.ReplaceGpu:
                return When(_twin.ReplaceGpu(new GpuId(request.Target)));
            case HardwareAction.RepairFabric or HardwareAction.RepairPower:
                return When(_twin.RepairFacility(request.Action, request.Target));
            case HardwareAction.RunDiagnostics:
            {
                var (run, result) = _twin.Diagnose(request.Target, request.Level ?? DiagnosticLevel.R1);
                return Complete(run.CompletesAt, result);
            }

            default:
            {
                int repaired = _twin.RepairNode(new NodeId(request.Target));
                return Task.FromResult(new ActuationResult(true, TimeSpan.Zero, $"{repaired} fault(s) repaired on {request.Target}"));
            }
        }
    }

    private Task<ActuationResult> When(ActuationTicket ticket) =>
        Complete(ticket.CompletesAt, new ActuationResult(true, ticket.CompletesAt - ticket.StartedAt, $"{ticket.Action} of {ticket.Target} done"));

    // Completed by a timed action of the twin, after the action's own effect (same time, registered later).
    private Task<ActuationResult> Complete(DateTimeOffset at, ActuationResult result)
    {
        var done = new TaskCompletionSource<ActuationResult>();
        twin.At(at, () => done.TrySetResult(result));
        return done.Task;
    }
}
