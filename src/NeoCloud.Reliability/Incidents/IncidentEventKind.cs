namespace NeoCloud.Reliability.Incidents;

/// <summary>What one line of an incident's timeline records.</summary>
public enum IncidentEventKind
{
    Opened,

    /// <summary>Alerts sharing the incident's root cause arrived after it was opened and were attached to it.</summary>
    AlertsJoined,

    /// <summary>A Health finding or a remediation run was linked to the incident.</summary>
    Linked,
    Acknowledged,
    Mitigated,
    Resolved,
}
