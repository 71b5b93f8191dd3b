using System.Collections.Immutable;

namespace NeoCloud.Reliability.Alerting;

/// <summary>One message to a receiver about one alert group: the alerts firing and those resolved since the last send.</summary>
public sealed record Notification(
    string GroupKey,
    string Receiver,
    ImmutableSortedDictionary<string, string> GroupLabels,
    IReadOnlyList<Alert> Firing,
    IReadOnlyList<Alert> Resolved,
    NotificationKind Kind,
    DateTimeOffset At);
