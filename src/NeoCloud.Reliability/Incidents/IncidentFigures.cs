namespace NeoCloud.Reliability.Incidents;

/// <summary>
/// MTTD, MTTA, MTTM and MTTR (as p50/p95) over a set of incidents. A measure only counts the incidents that reached it:
/// an incident still open has a time to detect but no time to resolve.
/// </summary>
public sealed record IncidentFigures(
    int Incidents,
    DurationPercentiles? Detect,
    DurationPercentiles? Acknowledge,
    DurationPercentiles? Mitigate,
    DurationPercentiles? Resolve)
{
    public static IncidentFigures Of(IReadOnlyCollection<Incident> incidents) => new(
        incidents.Count,
        DurationPercentiles.Of(incidents.Select(i => i.TimeToDetect)),
        DurationPercentiles.Of(incidents.Select(i => i.TimeToAcknowledge).OfType<TimeSpan>()),
        DurationPercentiles.Of(incidents.Select(i => i.TimeToMitigate).OfType<TimeSpan>()),
        DurationPercentiles.Of(incidents.Select(i => i.TimeToResolve).OfType<TimeSpan>()));
}
