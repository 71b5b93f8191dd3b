using System.Text;

namespace NeoCloud.Reliability.Notifications;

/// <summary>One alert of a webhook notification: its labels, annotations, times and fingerprint.</summary>
/// <param name="EndsAt">Null while the alert has no known end (sent as Go's zero time, as Alertmanager does).</param>
public sealed record WebhookAlert(
    WebhookStatus Status,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> Annotations,
    DateTimeOffset StartsAt,
    DateTimeOffset? EndsAt,
    string GeneratorUrl,
    string Fingerprint)
{
    /// <summary>An alert whose fingerprint is computed from its labels the way Prometheus and Alertmanager compute it.</summary>
    public static WebhookAlert Create(
        WebhookStatus status,
        IReadOnlyDictionary<string, string> labels,
        IReadOnlyDictionary<string, string> annotations,
        DateTimeOffset startsAt,
        DateTimeOffset? endsAt = null,
        string generatorUrl = "") =>
        new(status, labels, annotations, startsAt, endsAt, generatorUrl, FingerprintOf(labels));

    /// <summary>
    /// Prometheus' label-set fingerprint: FNV-1a 64 over the names in order, each name and value followed by the 0xFF
    /// separator, written as 16 hex digits; receivers that already speak Alertmanager match alerts by it.
    /// </summary>
    public static string FingerprintOf(IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        const ulong offset = 14695981039346656037UL;
        const ulong prime = 1099511628211UL;
        ulong hash = offset;
        foreach (var name in labels.Keys.Order(StringComparer.Ordinal))
        {
            hash = Add(Add(Add(Add(hash, name), 0xFF), labels[name]), 0xFF);
        }

        return hash.ToString("x16", System.Globalization.CultureInfo.InvariantCulture);

        static ulong Add(ulong h, object part)
        {
            if (part is string text)
            {
                foreach (byte b in Encoding.UTF8.GetBytes(text))
                {
                    h = (h ^ b) * prime;
                }

                return h;
            }

            return (h ^ (byte)(int)part) * prime;
        }
    }
}
