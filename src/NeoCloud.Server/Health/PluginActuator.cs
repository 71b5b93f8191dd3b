using NeoCloud.Fleet.Actuation;
using NeoCloud.Plugins.Hosting;
using NeoCloud.Plugins.Lifecycle;

namespace NeoCloud.Server.Health;

/// <summary>
/// The actuator remediation drives: whichever actuator plugin the plugin host has ready, looked up at each call (plugins
/// register when the twin starts, after this is built), and called through the host so calls are counted, traced and a
/// failing plugin is isolated. Its own lifecycle is the plugin host's business: the lifecycle members do nothing.
/// </summary>
public sealed class PluginActuator(PluginHost host) : IHardwareActuator
{
    public IReadOnlySet<HardwareAction> Supported => Ready() is { } ready ? ready.Plugin.Supported : new HashSet<HardwareAction>();

    public IReadOnlyList<ConfigField> ConfigSchema => [];

    public async Task<ActuationResult> ExecuteAsync(ActuationRequest request, CancellationToken cancellationToken)
    {
        var (registration, actuator) = Ready()
            ?? throw new InvalidOperationException("No actuator plugin is ready: hardware actions cannot run now (is the twin or a BMC actuator registered?).");
        return await host.InvokeAsync(registration, "execute", async ct => await actuator.ExecuteAsync(request, ct), cancellationToken);
    }

    public Task InitAsync(PluginContext context, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public ValueTask<PluginHealth> CheckHealthAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult(Ready() is null ? PluginHealth.Failed("no actuator plugin is ready") : PluginHealth.Ready);

    public Task DrainAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private (PluginRegistration Registration, IHardwareActuator Plugin)? Ready()
    {
        foreach (var ready in host.Ready<IHardwareActuator>())
        {
            return ready;
        }

        return null;
    }
}
