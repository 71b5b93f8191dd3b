using NeoCloud.Reliability.Alerting;

namespace NeoCloud.Server.Reliability;

/// <summary>One alert as the API shows it: labels, annotations, times, the incident it belongs to and whether it is muted.</summary>
public sealed record AlertView(
    string Fingerprint,
    string Name,
    string Severity,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> Annotations,
    DateTimeOffset StartsAt,
    DateTimeOffset? EndsAt,
    bool Firing,
    string? Incident,
    bool Silenced,
    bool Inhibited)
{
    public bool Muted => Silenced || Inhibited;

    public static AlertView Of(Alert alert, DateTimeOffset now, string? incident, bool silenced, bool inhibited)
    {
        ArgumentNullException.ThrowIfNull(alert);
        return new AlertView(
            alert.Fingerprint.ToString("x16", System.Globalization.CultureInfo.InvariantCulture),
            alert["alertname"],
            alert["severity"],
            alert.Labels,
            alert.Annotations,
            alert.StartsAt,
            alert.EndsAt,
            !alert.IsResolvedAt(now),
            incident,
            silenced,
            inhibited);
    }
}
