namespace NeoCloud.Server.Reliability.Runbooks;

/// <summary>The body of <c>POST /api/v1/runbooks/{name}/runs</c>: parameter values, whether it is a dry run, and (until bearer tokens land) who asks.</summary>
public sealed record StartRunRequest(Dictionary<string, string>? Parameters, bool DryRun = false, string? Actor = null);
