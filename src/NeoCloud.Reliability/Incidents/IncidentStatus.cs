namespace NeoCloud.Reliability.Incidents;

/// <summary>Where an incident is in its lifecycle; it only ever moves forward, and <see cref="Resolved"/> is final.</summary>
public enum IncidentStatus
{
    Open,
    Acknowledged,
    Mitigated,
    Resolved,
}
