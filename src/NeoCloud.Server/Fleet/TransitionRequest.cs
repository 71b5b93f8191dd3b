namespace NeoCloud.Server.Fleet;

/// <summary>The body of <c>POST /nodes/{id}/transition</c> and <c>/gpus/{node}/{gpu}/transition</c>.</summary>
/// <param name="To">The lifecycle state to move to, e.g. <c>draining</c>, <c>quarantined</c>, <c>repair</c>.</param>
/// <param name="Reason">Why; required, it goes into the history and the audit log.</param>
/// <param name="Actor">Who, as <c>kind:name</c>; defaults to the authenticated principal, else <c>person:anonymous</c>.</param>
public sealed record TransitionRequest(string? To, string? Reason, string? Actor);
