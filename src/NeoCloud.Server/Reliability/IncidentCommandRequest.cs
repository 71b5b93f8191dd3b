namespace NeoCloud.Server.Reliability;

/// <summary>The body of <c>POST /api/v1/incidents/{id}/ack|mitigate|resolve</c>: why, the root cause found (resolve), and who.</summary>
public sealed record IncidentCommandRequest(string? Note = null, string? RootCause = null, string? Actor = null);
