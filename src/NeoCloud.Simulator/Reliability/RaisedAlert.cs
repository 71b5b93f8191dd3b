using NeoCloud.Reliability.Alerting;

namespace NeoCloud.Simulator.Reliability;

/// <summary>
/// One alert episode that reached a receiver: a fingerprint and start seen firing in a notification, when it was first
/// sent, and when it ended (null while it still fires).
/// </summary>
internal sealed record RaisedAlert(Alert Alert, DateTimeOffset NotifiedAt)
{
    public DateTimeOffset? EndedAt { get; set; }

    public bool IsSlo => Alert.Labels.ContainsKey(NeoCloud.Reliability.Export.RuleNames.SloLabel);
}
