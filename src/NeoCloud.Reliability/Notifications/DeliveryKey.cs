using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace NeoCloud.Reliability.Notifications;

/// <summary>
/// The identity of a notification's state: group key, status, and each alert's fingerprint with its end, in fingerprint
/// order; a new alert, a resolution or a changed end makes a new key, a redelivery of the same state does not.
/// </summary>
internal static class DeliveryKey
{
    public static string Of(WebhookMessage message)
    {
        var text = new StringBuilder();
        Part(text, message.GroupKey);
        Part(text, message.Status == WebhookStatus.Firing ? "firing" : "resolved");
        foreach (var alert in message.Alerts.OrderBy(a => a.Fingerprint, StringComparer.Ordinal).ThenBy(a => a.EndsAt))
        {
            Part(text, alert.Fingerprint);
            Part(text, alert.EndsAt is { } end ? end.UtcTicks.ToString(CultureInfo.InvariantCulture) : "-");
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    // Length-prefixed so that no two different part lists write the same text.
    private static void Part(StringBuilder text, string part) =>
        text.Append(part.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(part);
}
