using System.Collections.Immutable;

namespace NeoCloud.Reliability.Incidents;

/// <summary>Incident figures (MTTD/MTTA/MTTM/MTTR as p50/p95) over all incidents, per severity and per line of business.</summary>
public sealed record IncidentMetrics(
    IncidentFigures Overall,
    ImmutableSortedDictionary<IncidentSeverity, IncidentFigures> BySeverity,
    ImmutableSortedDictionary<string, IncidentFigures> ByLineOfBusiness)
{
    public static IncidentMetrics Of(IEnumerable<Incident> incidents)
    {
        var all = incidents.ToList();
        return new IncidentMetrics(
            IncidentFigures.Of(all),
            all.GroupBy(i => i.Severity).ToImmutableSortedDictionary(g => g.Key, g => IncidentFigures.Of(g.ToList())),
            all.GroupBy(i => i.LineOfBusiness, StringComparer.Ordinal)
                .ToImmutableSortedDictionary(g => g.Key, g => IncidentFigures.Of(g.ToList()), StringComparer.Ordinal));
    }
}
