namespace NeoCloud.Reliability.Incidents;

/// <summary>Thrown when an incident is asked for a change its current state does not allow; the message names that state.</summary>
public sealed class IncidentTransitionException : InvalidOperationException
{
    public IncidentTransitionException(string incidentId, IncidentStatus status, string message)
        : base(message)
    {
        IncidentId = incidentId;
        Status = status;
    }

    public string IncidentId { get; }

    public IncidentStatus Status { get; }
}
