namespace NeoCloud.Reliability.Incidents;

/// <summary>How bad an incident is, sev1 (customer-wide outage) to sev4 (minor, no customer impact); lower is worse.</summary>
public enum IncidentSeverity
{
    Sev1 = 1,
    Sev2 = 2,
    Sev3 = 3,
    Sev4 = 4,
}
