namespace NeoCloud.Plugins.Lifecycle;

/// <summary>
/// The contract every in-process plugin implements. Calls come in the order validate → init → start → health* → drain → stop;
/// stop must be idempotent. Domain-specific contracts (a telemetry source, an actuator, an executor) extend this one.
/// </summary>
public interface IPlugin
{
    /// <summary>The fields this plugin's config accepts; the host checks the manifest's config against them before init.</summary>
    IReadOnlyList<ConfigField> ConfigSchema { get; }

    Task InitAsync(PluginContext context, CancellationToken cancellationToken);

    Task StartAsync(CancellationToken cancellationToken);

    ValueTask<PluginHealth> CheckHealthAsync(CancellationToken cancellationToken);

    /// <summary>Stop taking new work and let work in flight finish.</summary>
    Task DrainAsync(CancellationToken cancellationToken);

    Task StopAsync(CancellationToken cancellationToken);
}
