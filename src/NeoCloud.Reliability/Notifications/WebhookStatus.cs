namespace NeoCloud.Reliability.Notifications;

/// <summary>Whether an alert (or a whole notification) is firing or resolved, as Alertmanager's webhook writes it.</summary>
public enum WebhookStatus
{
    Firing,
    Resolved,
}
