namespace NeoCloud.Telemetry.Exposition;

/// <summary>The metric types of the Prometheus text exposition format 0.0.4.</summary>
public enum MetricType
{
    Untyped = 0,
    Counter,
    Gauge,
    Histogram,
    Summary,
}
