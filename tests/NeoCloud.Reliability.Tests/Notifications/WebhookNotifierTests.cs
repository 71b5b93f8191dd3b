using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using NeoCloud.Reliability.Notifications;

namespace NeoCloud.Reliability.Tests.Notifications;

public sealed class WebhookNotifierTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);

    private static WebhookAlert Alert(string instance, WebhookStatus status = WebhookStatus.Firing, DateTimeOffset? endsAt = null) =>
        WebhookAlert.Create(
            status,
            new Dictionary<string, string> { ["alertname"] = "SloBurnRateHigh", ["service"] = "neocloud-api", ["instance"] = instance },
            new Dictionary<string, string> { ["summary"] = "error budget burning", ["runbook_url"] = "https://runbooks/slo" },
            Start,
            endsAt,
            "https://prometheus/graph?g0.expr=slo");

    private static WebhookMessage Message(params WebhookAlert[] alerts) =>
        new("{}:{service=\"neocloud-api\"}", "platform-oncall", new Dictionary<string, string> { ["service"] = "neocloud-api" }, alerts);

    private static (WebhookNotifier Notifier, FakeTimeProvider Clock) Notifier(ScriptedReceiver receiver, int maxAttempts = 4, TimeSpan? timeout = null, int maxAlerts = 0)
    {
        var clock = new FakeTimeProvider(Start);
        var options = new WebhookNotifierOptions
        {
            Url = new Uri("https://receiver.example/hook"),
            ExternalUrl = "https://neocloud.example/alerts",
            MaxAttempts = maxAttempts,
            MaxAlerts = maxAlerts,
            RequestTimeout = timeout ?? TimeSpan.FromHours(1),
            InitialBackoff = TimeSpan.FromSeconds(1),
            MaxBackoff = TimeSpan.FromSeconds(8),
        };
        return (new WebhookNotifier(new HttpClient(receiver), options, clock), clock);
    }

    /// <summary>Moves virtual time on until the send finishes, so backoffs and timeouts elapse without real waiting.</summary>
    private static async Task<WebhookDelivery> Drive(FakeTimeProvider clock, Task<WebhookDelivery> send)
    {
        for (int i = 0; i < 10_000 && !send.IsCompleted; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(1));

            // A few real milliseconds for the notifier's continuations (on the thread pool) to catch up with the fake
            // clock: a bare yield is not enough on a loaded machine.
            await Task.WhenAny(send, Task.Delay(5));
        }

        Assert.True(send.IsCompleted, "the send did not finish in virtual time");
        return await send;
    }

    [Fact]
    public async Task The_body_has_every_field_of_alertmanagers_version_4_webhook_in_its_order()
    {
        var receiver = new ScriptedReceiver();
        var (notifier, clock) = Notifier(receiver, maxAlerts: 2);

        var delivery = await Drive(clock, notifier.SendAsync(Message(Alert("a"), Alert("b", WebhookStatus.Resolved, Start.AddMinutes(5)), Alert("c")), CancellationToken.None));

        Assert.Equal(DeliveryOutcome.Sent, delivery.Outcome);
        using var json = JsonDocument.Parse(Assert.Single(receiver.Bodies));
        var root = json.RootElement;
        Assert.Equal(
            ["receiver", "status", "alerts", "groupLabels", "commonLabels", "commonAnnotations", "externalURL", "version", "groupKey", "truncatedAlerts"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("4", root.GetProperty("version").GetString());
        Assert.Equal("platform-oncall", root.GetProperty("receiver").GetString());
        Assert.Equal("firing", root.GetProperty("status").GetString());
        Assert.Equal("{}:{service=\"neocloud-api\"}", root.GetProperty("groupKey").GetString());
        Assert.Equal(1, root.GetProperty("truncatedAlerts").GetInt32());
        Assert.Equal("https://neocloud.example/alerts", root.GetProperty("externalURL").GetString());
        Assert.Equal("neocloud-api", root.GetProperty("groupLabels").GetProperty("service").GetString());
        Assert.Equal(["alertname", "service"], root.GetProperty("commonLabels").EnumerateObject().Select(p => p.Name));
        Assert.Equal(2, root.GetProperty("commonAnnotations").EnumerateObject().Count());

        var alerts = root.GetProperty("alerts").EnumerateArray().ToList();
        Assert.Equal(2, alerts.Count);
        Assert.Equal(
            ["status", "labels", "annotations", "startsAt", "endsAt", "generatorURL", "fingerprint"],
            alerts[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal("2026-03-02T10:00:00Z", alerts[0].GetProperty("startsAt").GetString());
        Assert.Equal("0001-01-01T00:00:00Z", alerts[0].GetProperty("endsAt").GetString());
        Assert.Equal("resolved", alerts[1].GetProperty("status").GetString());
        Assert.Equal("2026-03-02T10:05:00Z", alerts[1].GetProperty("endsAt").GetString());
        Assert.Matches("^[0-9a-f]{16}$", alerts[0].GetProperty("fingerprint").GetString());
    }

    [Fact]
    public async Task A_group_whose_alerts_all_resolved_is_sent_as_resolved()
    {
        var receiver = new ScriptedReceiver();
        var (notifier, clock) = Notifier(receiver);

        await Drive(clock, notifier.SendAsync(Message(Alert("a", WebhookStatus.Resolved, Start.AddMinutes(1))), CancellationToken.None));

        using var json = JsonDocument.Parse(Assert.Single(receiver.Bodies));
        Assert.Equal("resolved", json.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public void The_fingerprint_of_no_labels_is_the_fnv_offset_basis_and_does_not_depend_on_label_order()
    {
        Assert.Equal("cbf29ce484222325", WebhookAlert.FingerprintOf(new Dictionary<string, string>()));
        Assert.Equal(
            WebhookAlert.FingerprintOf(new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" }),
            WebhookAlert.FingerprintOf(new Dictionary<string, string> { ["b"] = "2", ["a"] = "1" }));
        Assert.NotEqual(
            WebhookAlert.FingerprintOf(new Dictionary<string, string> { ["a"] = "1b" }),
            WebhookAlert.FingerprintOf(new Dictionary<string, string> { ["a1"] = "b" }));
    }

    [Fact]
    public async Task Server_errors_are_retried_until_the_receiver_accepts()
    {
        var receiver = new ScriptedReceiver(HttpStatusCode.ServiceUnavailable, HttpStatusCode.BadGateway, HttpStatusCode.OK);
        var (notifier, clock) = Notifier(receiver);

        var delivery = await Drive(clock, notifier.SendAsync(Message(Alert("a")), CancellationToken.None));

        Assert.Equal((DeliveryOutcome.Sent, 3, 200), (delivery.Outcome, delivery.Attempts, delivery.LastStatusCode));
        Assert.Single(receiver.IdempotencyKeys.Distinct());
        Assert.Single(receiver.Bodies.Distinct());
    }

    [Fact]
    public async Task Delivery_gives_up_when_the_attempt_budget_is_spent()
    {
        var receiver = new ScriptedReceiver(HttpStatusCode.InternalServerError);
        var (notifier, clock) = Notifier(receiver, maxAttempts: 4);

        var delivery = await Drive(clock, notifier.SendAsync(Message(Alert("a")), CancellationToken.None));

        Assert.Equal((DeliveryOutcome.GaveUp, 4, 500), (delivery.Outcome, delivery.Attempts, delivery.LastStatusCode));
        Assert.Equal(4, receiver.Calls);
    }

    [Fact]
    public async Task A_client_error_is_not_retried()
    {
        var receiver = new ScriptedReceiver(HttpStatusCode.BadRequest, HttpStatusCode.OK);
        var (notifier, clock) = Notifier(receiver);

        var delivery = await Drive(clock, notifier.SendAsync(Message(Alert("a")), CancellationToken.None));

        Assert.Equal((DeliveryOutcome.Rejected, 1, 400), (delivery.Outcome, delivery.Attempts, delivery.LastStatusCode));
        Assert.Equal(1, receiver.Calls);
    }

    [Fact]
    public async Task Too_many_requests_is_retried_as_the_receiver_asking_for_later()
    {
        var receiver = new ScriptedReceiver(HttpStatusCode.TooManyRequests, HttpStatusCode.OK) { RetryAfter = TimeSpan.FromSeconds(5) };
        var (notifier, clock) = Notifier(receiver);

        var delivery = await Drive(clock, notifier.SendAsync(Message(Alert("a")), CancellationToken.None));

        Assert.Equal((DeliveryOutcome.Sent, 2), (delivery.Outcome, delivery.Attempts));
    }

    [Fact]
    public async Task A_hung_receiver_costs_one_attempt_per_request_timeout()
    {
        var receiver = new ScriptedReceiver { Hang = true };
        var (notifier, clock) = Notifier(receiver, maxAttempts: 3, timeout: TimeSpan.FromSeconds(10));

        var send = notifier.SendAsync(Message(Alert("a")), CancellationToken.None);
        for (int i = 0; i < 2_000 && !send.IsCompleted; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            await Task.WhenAny(send, Task.Delay(5));
        }

        Assert.True(send.IsCompleted, $"calls {receiver.Calls}");
        var delivery = await send;

        Assert.Equal((DeliveryOutcome.GaveUp, 3, null), (delivery.Outcome, delivery.Attempts, delivery.LastStatusCode));
        Assert.Contains("no answer", delivery.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_notification_asked_twice_is_sent_once()
    {
        var receiver = new ScriptedReceiver();
        var (notifier, clock) = Notifier(receiver);

        var first = await Drive(clock, notifier.SendAsync(Message(Alert("a"), Alert("b")), CancellationToken.None));
        var again = await Drive(clock, notifier.SendAsync(Message(Alert("b"), Alert("a")), CancellationToken.None));

        Assert.Equal((DeliveryOutcome.Sent, DeliveryOutcome.Duplicate), (first.Outcome, again.Outcome));
        Assert.Equal(first.IdempotencyKey, again.IdempotencyKey);
        Assert.Equal(1, receiver.Calls);
    }

    [Fact]
    public async Task A_resolution_a_new_alert_or_a_new_end_is_a_new_notification()
    {
        var receiver = new ScriptedReceiver();
        var (notifier, clock) = Notifier(receiver);

        await Drive(clock, notifier.SendAsync(Message(Alert("a")), CancellationToken.None));
        await Drive(clock, notifier.SendAsync(Message(Alert("a"), Alert("b")), CancellationToken.None));
        await Drive(clock, notifier.SendAsync(Message(Alert("a", endsAt: Start.AddHours(1)), Alert("b")), CancellationToken.None));
        await Drive(clock, notifier.SendAsync(Message(Alert("a", WebhookStatus.Resolved, Start.AddHours(1))), CancellationToken.None));

        Assert.Equal(4, receiver.Calls);
    }

    [Fact]
    public async Task A_notification_is_sent_again_once_its_deduplication_window_has_passed()
    {
        var receiver = new ScriptedReceiver();
        var (notifier, clock) = Notifier(receiver);

        await Drive(clock, notifier.SendAsync(Message(Alert("a")), CancellationToken.None));
        clock.Advance(TimeSpan.FromHours(4));
        var repeat = await Drive(clock, notifier.SendAsync(Message(Alert("a")), CancellationToken.None));

        Assert.Equal(DeliveryOutcome.Sent, repeat.Outcome);
        Assert.Equal(2, receiver.Calls);
    }

    [Fact]
    public async Task A_notification_that_failed_can_be_sent_again()
    {
        var receiver = new ScriptedReceiver(HttpStatusCode.InternalServerError, HttpStatusCode.InternalServerError, HttpStatusCode.OK);
        var (notifier, clock) = Notifier(receiver, maxAttempts: 2);

        var failed = await Drive(clock, notifier.SendAsync(Message(Alert("a")), CancellationToken.None));
        var retried = await Drive(clock, notifier.SendAsync(Message(Alert("a")), CancellationToken.None));

        Assert.Equal((DeliveryOutcome.GaveUp, DeliveryOutcome.Sent), (failed.Outcome, retried.Outcome));
    }

    [Fact]
    public void The_ledger_forgets_the_oldest_notification_beyond_its_capacity()
    {
        var ledger = new DeliveryLedger(TimeSpan.FromHours(4), capacity: 2);
        foreach (string key in new[] { "k1", "k2", "k3" })
        {
            Assert.True(ledger.TryReserve(key, Start));
            ledger.Commit(key, Start);
        }

        Assert.Equal(2, ledger.Count);
        Assert.True(ledger.TryReserve("k1", Start));
        Assert.False(ledger.TryReserve("k3", Start));
    }

    [Fact]
    public void Backoff_doubles_from_the_first_delay_up_to_the_cap()
    {
        var options = new WebhookNotifierOptions { Url = new Uri("https://x"), InitialBackoff = TimeSpan.FromSeconds(1), MaxBackoff = TimeSpan.FromSeconds(8) };

        Assert.Equal([1, 2, 4, 8, 8], Enumerable.Range(1, 5).Select(r => options.BackoffBefore(r).TotalSeconds));
    }
}
