namespace NeoCloud.Reliability.Alerting;

/// <summary>Why a group notified: its first send, a change since the last send, or the repeat of an unchanged group.</summary>
public enum NotificationKind
{
    First,
    Update,
    Repeat,
}
