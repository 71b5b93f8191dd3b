using NeoCloud.Reliability.Incidents;

namespace NeoCloud.Server.Reliability;

/// <summary>MTTD/MTTA/MTTM/MTTR p50/p95 over every incident, per severity (<c>sev1</c>..) and per line of business.</summary>
public sealed record IncidentMetricsView(
    IncidentFigures Overall,
    IReadOnlyDictionary<string, IncidentFigures> BySeverity,
    IReadOnlyDictionary<string, IncidentFigures> ByLineOfBusiness)
{
    public static IncidentMetricsView Of(IEnumerable<Incident> incidents)
    {
        var metrics = IncidentMetrics.Of(incidents);
        return new IncidentMetricsView(
            metrics.Overall,
            metrics.BySeverity.ToDictionary(kv => IncidentRecord.SeverityName(kv.Key), kv => kv.Value, StringComparer.Ordinal),
            metrics.ByLineOfBusiness);
    }
}
