namespace NeoCloud.Telemetry.Sources;

/// <summary>The page formats NeoCloud's collectors understand; all are Prometheus text exposition.</summary>
public static class TelemetryFormats
{
    /// <summary>NVIDIA dcgm-exporter: per-GPU DCGM fields.</summary>
    public const string DcgmExporter = "dcgm-exporter";

    /// <summary>InfiniBand/RoCE port counters per NIC port.</summary>
    public const string IbPortCounters = "ib-port-counters";

    /// <summary>Node liveness and host signals.</summary>
    public const string Node = "node";
}
