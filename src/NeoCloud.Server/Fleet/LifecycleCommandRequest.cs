namespace NeoCloud.Server.Fleet;

/// <summary>The body of <c>POST /nodes/{id}/cordon</c> and <c>/uncordon</c>.</summary>
/// <param name="Reason">Why; required, it goes into the history and the audit log.</param>
/// <param name="Actor">Who, as <c>kind:name</c> (<c>person:alice</c>); defaults to the authenticated principal, else <c>person:anonymous</c>.</param>
public sealed record LifecycleCommandRequest(string? Reason, string? Actor);
