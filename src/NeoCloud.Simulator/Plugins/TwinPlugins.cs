using NeoCloud.Plugins.Hosting;
using NeoCloud.Plugins.Manifest;
using NeoCloud.Simulator.Actuation;
using NeoCloud.Simulator.Execution;
using NeoCloud.Simulator.Scraping;
using NeoCloud.Simulator.Twin;

namespace NeoCloud.Simulator.Plugins;

/// <summary>
/// Registers the twin with a plugin host through the same manifests and contract as any real collector or actuator,
/// so nothing downstream special-cases the simulator.
/// </summary>
public static class TwinPlugins
{
    public const string TelemetryName = "twin-telemetry";
    public const string ActuatorName = "twin-actuator";
    public const string ExecutorName = "twin-executor";

    public const string TelemetryManifest = """
        apiVersion: neocloud.dev/v1
        kind: Plugin
        metadata: { name: twin-telemetry, version: 1.0.0, owner: neocloud }
        spec:
          pluginKind: telemetry-source
          tiers: [edge, region]
          entry: { assembly: NeoCloud.Simulator, type: NeoCloud.Simulator.Scraping.TwinTelemetrySource }
          permissions: [telemetry:read]
          domain:
            formats: [dcgm-exporter, ib-port-counters, node]
        """;

    public const string ActuatorManifest = """
        apiVersion: neocloud.dev/v1
        kind: Plugin
        metadata: { name: twin-actuator, version: 1.0.0, owner: neocloud }
        spec:
          pluginKind: actuator
          tiers: [edge, region]
          entry: { assembly: NeoCloud.Simulator, type: NeoCloud.Simulator.Actuation.TwinActuator }
          permissions: [gpus:reset, nodes:reboot, nodes:diagnose, hardware:replace]
          domain:
            actions: [reset-gpu, reboot-node, power-cycle-node, run-diagnostics, replace-gpu, repair-node]
        """;

    public const string ExecutorManifest = """
        apiVersion: neocloud.dev/v1
        kind: Plugin
        metadata: { name: twin-executor, version: 1.0.0, owner: neocloud }
        spec:
          pluginKind: executor
          tiers: [edge, region]
          entry: { assembly: NeoCloud.Simulator, type: NeoCloud.Simulator.Execution.TwinExecutor }
          permissions: [jobs:run]
          domain:
            runtimes: [virtual-time]
        """;

    /// <summary>Registers the twin's executor (jobs run in virtual time on the twin's GPUs).</summary>
    public static PluginRegistration RegisterExecutor(PluginHost host, TwinExecutor executor) =>
        host.Register(PluginManifestReader.Parse(ExecutorManifest), executor);

    /// <summary>Registers the twin's telemetry source and actuator; start them with <see cref="PluginHost.StartAllAsync"/>.</summary>
    public static (PluginRegistration Telemetry, PluginRegistration Actuator) Register(PluginHost host, FleetTwin twin) =>
        (host.Register(PluginManifestReader.Parse(TelemetryManifest), new TwinTelemetrySource(twin)),
         host.Register(PluginManifestReader.Parse(ActuatorManifest), new TwinActuator(twin)));
}
