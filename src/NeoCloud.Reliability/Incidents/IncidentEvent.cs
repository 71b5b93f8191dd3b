namespace NeoCloud.Reliability.Incidents;

/// <summary>One line of an incident's timeline: what happened, when, who did it and why.</summary>
public sealed record IncidentEvent(IncidentEventKind Kind, DateTimeOffset At, string Actor, string Note);
