namespace NeoCloud.Reliability.Runbooks;

/// <summary>
/// A runbook whose trigger matched an alert, with the parameters bound from the alert's labels; when
/// <see cref="NotTriggeredReason"/> is set the labels could not supply what it needs (a required parameter) and it must not start.
/// </summary>
public sealed record RunbookMatch(Runbook Runbook, IReadOnlyDictionary<string, string> Parameters, string? NotTriggeredReason)
{
    public bool IsTriggered => NotTriggeredReason is null;
}
