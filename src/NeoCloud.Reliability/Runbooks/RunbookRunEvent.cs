namespace NeoCloud.Reliability.Runbooks;

/// <summary>One entry of a run's history: when, who (<c>person:alice</c>, <c>automation:runbook-runner</c>) and what happened.</summary>
public sealed record RunbookRunEvent(DateTimeOffset At, string Actor, string What);
