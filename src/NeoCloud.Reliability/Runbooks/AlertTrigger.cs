using NeoCloud.Reliability.Alerting;

namespace NeoCloud.Reliability.Runbooks;

/// <summary>
/// When a firing alert starts a runbook: every matcher must match the alert's labels, and the parameters are bound from
/// templates over those labels (<c>node: "{{ .labels.node }}"</c>).
/// </summary>
public sealed record AlertTrigger(IReadOnlyList<Matcher> Matchers, IReadOnlyDictionary<string, string> Parameters)
{
    public bool Matches(Alert alert) => Matchers.All(m => m.Matches(alert));
}
