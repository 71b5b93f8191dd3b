using NeoCloud.Reliability.Alerting;
using NeoCloud.Reliability.Incidents;
using NeoCloud.Reliability.Sources;

namespace NeoCloud.Server.Reliability;

/// <summary>
/// A tripped remediation breaker as a critical alert that fires while it stays open (<c>remediation-breaker-open</c>,
/// labelled with its scope), so it becomes a sev1 incident that pages the on-call and reaches the webhooks, and ends
/// when a person resets the breaker. <paramref name="openBreakers"/> reads the scopes open now (Health's runtime).
/// </summary>
public sealed class BreakerAlerts(Func<IReadOnlyCollection<string>> openBreakers) : IAlertSource
{
    public const string AlertName = "remediation-breaker-open";
    public const string ScopeLabel = "breaker";

    private readonly Lock _gate = new();
    private readonly Dictionary<string, DateTimeOffset> _openSince = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public IReadOnlyList<Alert> Alerts(DateTimeOffset now)
    {
        var open = openBreakers();
        lock (_gate)
        {
            foreach (string gone in _openSince.Keys.Where(scope => !open.Contains(scope)).ToList())
            {
                _openSince.Remove(gone);
            }

            var alerts = new List<Alert>(open.Count);
            foreach (string scope in open)
            {
                if (!_openSince.TryGetValue(scope, out var since))
                {
                    since = now;
                    _openSince[scope] = since;
                }

                alerts.Add(new Alert(
                    [
                        KeyValuePair.Create("alertname", AlertName),
                        KeyValuePair.Create(ScopeLabel, scope),
                        KeyValuePair.Create(IncidentLabels.Severity, "critical"),
                    ],
                    since,
                    annotations:
                    [
                        KeyValuePair.Create("summary", $"Remediation breaker {scope} is open: automatic remediation there has stopped until a person resets it."),
                    ]));
            }

            return alerts;
        }
    }
}
