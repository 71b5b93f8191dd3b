namespace NeoCloud.Plugins.Manifest;

/// <summary>The extension points a plugin can fill (ARCHITECTURE §5).</summary>
public enum PluginKind
{
    TelemetrySource,
    Detector,
    Actuator,
    Executor,
    SchedulingPolicy,
    Notifier,
    CostModel,
    Exporter,
}
