namespace NeoCloud.Server.Health;

/// <summary>The body of a command on a remediation run or a breaker: who asks (until tokens land) and why.</summary>
/// <param name="Reason">Why; required to cancel a run.</param>
/// <param name="Actor">Who, as <c>person:alice</c>; the authenticated caller (or <c>person:anonymous</c>) when omitted.</param>
public sealed record HealthCommandRequest(string? Reason, string? Actor);
