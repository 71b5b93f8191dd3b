namespace NeoCloud.Server.Reliability.Runbooks;

/// <summary>The body of approve and cancel: who (until bearer tokens land), the step being approved (makes a retried approve safe), why a run is cancelled.</summary>
public sealed record RunCommandRequest(string? Actor = null, string? Step = null, string? Reason = null);
