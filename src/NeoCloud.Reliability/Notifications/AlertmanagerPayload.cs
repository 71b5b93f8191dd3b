using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace NeoCloud.Reliability.Notifications;

/// <summary>
/// Writes Alertmanager's webhook body (version 4), so any receiver that accepts Alertmanager's webhooks accepts ours.
/// Maps are written in name order, as Go's encoder does, so that the same message always gives the same bytes.
/// </summary>
internal static class AlertmanagerPayload
{
    public const string Version = "4";

    /// <summary>Go's zero time, which Alertmanager sends as <c>endsAt</c> of an alert with no known end.</summary>
    public const string ZeroTime = "0001-01-01T00:00:00Z";

    public static byte[] Serialize(WebhookMessage message, string externalUrl, int maxAlerts)
    {
        var alerts = maxAlerts > 0 && message.Alerts.Count > maxAlerts ? message.Alerts.Take(maxAlerts).ToList() : message.Alerts;
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("receiver", message.Receiver);
            w.WriteString("status", Status(message.Status));
            w.WriteStartArray("alerts");
            foreach (var alert in alerts)
            {
                w.WriteStartObject();
                w.WriteString("status", Status(alert.Status));
                Map(w, "labels", alert.Labels);
                Map(w, "annotations", alert.Annotations);
                w.WriteString("startsAt", Time(alert.StartsAt));
                w.WriteString("endsAt", alert.EndsAt is { } end ? Time(end) : ZeroTime);
                w.WriteString("generatorURL", alert.GeneratorUrl);
                w.WriteString("fingerprint", alert.Fingerprint);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            Map(w, "groupLabels", message.GroupLabels);
            Map(w, "commonLabels", Common(alerts, a => a.Labels));
            Map(w, "commonAnnotations", Common(alerts, a => a.Annotations));
            w.WriteString("externalURL", externalUrl);
            w.WriteString("version", Version);
            w.WriteString("groupKey", message.GroupKey);
            w.WriteNumber("truncatedAlerts", message.Alerts.Count - alerts.Count);
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>RFC 3339 in UTC with only the fraction digits needed, as Go writes <c>time.Time</c>.</summary>
    public static string Time(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    private static string Status(WebhookStatus status) => status == WebhookStatus.Firing ? "firing" : "resolved";

    private static void Map(Utf8JsonWriter w, string name, IReadOnlyDictionary<string, string> map)
    {
        w.WriteStartObject(name);
        foreach (var key in map.Keys.Order(StringComparer.Ordinal))
        {
            w.WriteString(key, map[key]);
        }

        w.WriteEndObject();
    }

    /// <summary>The pairs every alert of the message shares.</summary>
    private static Dictionary<string, string> Common(IReadOnlyList<WebhookAlert> alerts, Func<WebhookAlert, IReadOnlyDictionary<string, string>> pick)
    {
        var common = new Dictionary<string, string>(StringComparer.Ordinal);
        if (alerts.Count == 0)
        {
            return common;
        }

        foreach (var (key, value) in pick(alerts[0]))
        {
            if (alerts.All(a => pick(a).TryGetValue(key, out var other) && other == value))
            {
                common[key] = value;
            }
        }

        return common;
    }
}
