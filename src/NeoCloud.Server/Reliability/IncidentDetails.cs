using NeoCloud.Reliability.Incidents;

namespace NeoCloud.Server.Reliability;

/// <summary>One incident with its alerts as the engine knows them (alerts forgotten since are listed by fingerprint only).</summary>
public sealed record IncidentDetails(Incident Incident, IReadOnlyList<AlertView> Alerts, IReadOnlyList<string> UnknownAlerts);
