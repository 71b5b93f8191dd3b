namespace NeoCloud.Reliability.Incidents;

/// <summary>An incident as stored, with the version its next save must name as expected.</summary>
public sealed record VersionedIncident(Incident Incident, long Version);
