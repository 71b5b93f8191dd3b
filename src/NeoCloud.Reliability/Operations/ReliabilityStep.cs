using NeoCloud.Reliability.Alerting;
using NeoCloud.Reliability.Incidents;

namespace NeoCloud.Reliability.Operations;

/// <summary>
/// What one step of the <see cref="ReliabilityEngine"/> did: the notifications due to receivers, and the incidents it
/// opened or changed (their latest versions, each once), for the caller to persist, notify and page on.
/// </summary>
public sealed record ReliabilityStep(
    DateTimeOffset At,
    IReadOnlyList<Notification> Notifications,
    IReadOnlyList<Incident> Opened,
    IReadOnlyList<Incident> Changed)
{
    /// <summary>Alerts that started firing in this step (new fingerprints, or ones that fire again after ending).</summary>
    public IReadOnlyList<Alert> NewlyFiring { get; init; } = [];
}
