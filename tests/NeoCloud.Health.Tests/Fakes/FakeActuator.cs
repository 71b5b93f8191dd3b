using NeoCloud.Fleet.Actuation;
using NeoCloud.Plugins.Lifecycle;

namespace NeoCloud.Health.Tests.Fakes;

/// <summary>An actuator whose actions stay in flight until the test completes them (each call gets its own completion source).</summary>
internal sealed class FakeActuator : IHardwareActuator
{
    public List<(ActuationRequest Request, TaskCompletionSource<ActuationResult> Completion)> Calls { get; } = [];

    public IReadOnlySet<HardwareAction> Supported { get; set; } = new HashSet<HardwareAction>(Enum.GetValues<HardwareAction>());

    public IReadOnlyList<ConfigField> ConfigSchema => [];

    public IEnumerable<ActuationRequest> Pending => Calls.Where(c => !c.Completion.Task.IsCompleted).Select(c => c.Request);

    public Task<ActuationResult> ExecuteAsync(ActuationRequest request, CancellationToken cancellationToken)
    {
        var completion = new TaskCompletionSource<ActuationResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        Calls.Add((request, completion));
        return completion.Task;
    }

    /// <summary>Completes the oldest pending call of <paramref name="action"/>; returns its request.</summary>
    public ActuationRequest Complete(HardwareAction action, bool succeeded)
    {
        var call = Calls.FirstOrDefault(c => c.Request.Action == action && !c.Completion.Task.IsCompleted);
        if (call.Completion is null)
        {
            throw new InvalidOperationException($"No pending {action}; calls: {string.Join(", ", Calls.Select(c => $"{c.Request.Action} {c.Request.Target}"))}.");
        }

        call.Completion.SetResult(new ActuationResult(succeeded, TimeSpan.FromMinutes(1), succeeded ? $"{action} ok" : $"{action} failed"));
        return call.Request;
    }

    /// <summary>Completes every pending call of <paramref name="action"/> (an action issued again after a restart, and the first one).</summary>
    public int CompleteAll(HardwareAction action, bool succeeded)
    {
        int n = 0;
        while (Pending.Any(r => r.Action == action))
        {
            Complete(action, succeeded);
            n++;
        }

        return n;
    }

    public Task InitAsync(PluginContext context, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public ValueTask<PluginHealth> CheckHealthAsync(CancellationToken cancellationToken) => ValueTask.FromResult(PluginHealth.Ready);

    public Task DrainAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
