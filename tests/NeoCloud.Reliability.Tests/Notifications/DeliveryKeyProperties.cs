using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NeoCloud.Reliability.Notifications;

namespace NeoCloud.Reliability.Tests.Notifications;

public sealed class DeliveryKeyProperties
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);

    private static WebhookMessage Message(IEnumerable<int> instances, int? endedMinutes) =>
        new("group", "receiver", new Dictionary<string, string>(), [.. instances.Select(i => WebhookAlert.Create(
            WebhookStatus.Firing,
            new Dictionary<string, string> { ["instance"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            new Dictionary<string, string>(),
            Start,
            endedMinutes is { } m && i == 0 ? Start.AddMinutes(m) : null))]);

    [Property(MaxTest = 200)]
    public Property The_key_ignores_alert_order_and_changes_with_an_alerts_end() =>
        Prop.ForAll(Gen.Choose(1, 20).ToArbitrary(), Gen.Choose(1, 600).ToArbitrary(), (count, minutes) =>
        {
            var instances = Enumerable.Range(0, count).ToList();
            string key = DeliveryKey.Of(Message(instances, null));
            return key == DeliveryKey.Of(Message(Enumerable.Reverse(instances), null))
                && key != DeliveryKey.Of(Message(instances, minutes))
                && DeliveryKey.Of(Message(instances, minutes)) == DeliveryKey.Of(Message(Enumerable.Reverse(instances), minutes));
        });
}
