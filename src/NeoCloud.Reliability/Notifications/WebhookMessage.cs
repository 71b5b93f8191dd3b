namespace NeoCloud.Reliability.Notifications;

/// <summary>
/// One notification for one alert group, in the notifier's own terms so that it does not depend on who produced it
/// (the alert pipeline, a test, a CLI replay).
/// </summary>
/// <param name="GroupKey">Identifies the group (route and group labels); receivers and de-duplication key on it.</param>
public sealed record WebhookMessage(
    string GroupKey,
    string Receiver,
    IReadOnlyDictionary<string, string> GroupLabels,
    IReadOnlyList<WebhookAlert> Alerts)
{
    /// <summary>
    /// Firing while any alert fires, resolved only when all are: derived, not given, so that it can never contradict the
    /// alerts (Alertmanager derives it the same way).
    /// </summary>
    public WebhookStatus Status => Alerts.Any(a => a.Status == WebhookStatus.Firing) ? WebhookStatus.Firing : WebhookStatus.Resolved;
}
