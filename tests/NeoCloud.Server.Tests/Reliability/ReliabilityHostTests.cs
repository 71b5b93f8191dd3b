using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using NeoCloud.Reliability.Alerting;
using NeoCloud.Reliability.Sources;
using NeoCloud.Reliability.Store;
using NeoCloud.Server.Reliability;
using NeoCloud.Server.Tests.Api;
using NeoCloud.Server.Tests.Fakes;

namespace NeoCloud.Server.Tests.Reliability;

/// <summary>
/// The reliability loop in the real host: Health diagnoses become alerts, alerts become incidents that are persisted,
/// sent to a webhook receiver in Alertmanager's format and paged, and people ack and resolve them through the API.
/// The loop's own timer is set to an hour so each test steps it at the instants it chooses.
/// </summary>
public sealed class ReliabilityHostTests
{
    private const string Node = "euw1-dc1-r01-n01";
    private static readonly TimeSpan PastGroupWait = TimeSpan.FromSeconds(31);

    [Fact]
    public async Task A_health_diagnosis_becomes_a_persisted_incident_a_webhook_a_page_and_is_acked_and_resolved_through_the_api()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var store = new InMemoryReliabilityStore();
        await using var host = await StartAsync(store, receiver);
        var runtime = host.Services.GetRequiredService<ReliabilityRuntime>();
        var feed = host.Services.GetRequiredService<HealthAlertFeed>();
        var t0 = runtime.Now;

        feed.Enqueue(HealthRounds.NodeDown("dgn-0001", Node, t0));
        var first = await runtime.StepAsync(t0, CancellationToken.None);
        Assert.Empty(first.Opened); // group_wait holds the first notification
        var second = await runtime.StepAsync(t0 + PastGroupWait, CancellationToken.None);

        var incident = Assert.Single(second.Opened);
        Assert.Equal("INC-0001", incident.Id);
        var record = Assert.Single(store.All(ReliabilityRecordKinds.Incident));
        Assert.Equal(("INC-0001", "open", "sev2"), (record.Id, record.Status, record.Label));

        var payload = Assert.Single(receiver.Received);
        Assert.Equal("4", payload["version"]!.GetValue<string>());
        Assert.Equal("firing", payload["status"]!.GetValue<string>());
        Assert.Equal("oncall-bridge", payload["receiver"]!.GetValue<string>());
        var alert = payload["alerts"]!.AsArray().Single()!;
        Assert.Equal("node-down", alert["labels"]!["alertname"]!.GetValue<string>());
        Assert.Equal(Node, alert["labels"]!["node"]!.GetValue<string>());
        Assert.Equal("INC-0001", alert["annotations"]!["neocloud_incident"]!.GetValue<string>());
        Assert.Equal(16, alert["fingerprint"]!.GetValue<string>().Length);

        var acked = await host.Client.PostJsonAsync("/api/v1/incidents/INC-0001/ack", new { note = "looking", actor = "person:alice" });
        Assert.Equal("acknowledged", acked["status"]!.GetValue<string>());
        Assert.Equal("acknowledged", Assert.Single(store.All(ReliabilityRecordKinds.Incident)).Status);
        Assert.Contains(host.Audit.Records, r => r.Action == "reliability.incident.acknowledge" && r.Target == "INC-0001" && r.Actor.ToString() == "person:alice");

        await host.Client.PostJsonAsync("/api/v1/incidents/INC-0001/resolve", new { rootCause = "bad PSU" }, HttpStatusCode.BadRequest);
        var resolved = await host.Client.PostJsonAsync("/api/v1/incidents/INC-0001/resolve", new { note = "PSU swapped", rootCause = "bad PSU", actor = "person:alice" });
        Assert.Equal("resolved", resolved["status"]!.GetValue<string>());
        Assert.Equal("bad PSU", resolved["probableRootCause"]!.GetValue<string>());
        var stored = Assert.Single(store.All(ReliabilityRecordKinds.Incident));
        Assert.Equal(("resolved", 3L), (stored.Status, stored.Version)); // opened, acknowledged, resolved: one version each

        var again = await host.Client.PostJsonAsync("/api/v1/incidents/INC-0001/ack", new { note = "late" }, HttpStatusCode.Conflict);
        Assert.Equal("https://neocloud.dev/problems/illegal-transition", again["type"]!.GetValue<string>());
        Assert.Contains("resolved", again["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        var summary = await host.Client.GetStringAsync(new Uri("/api/v1/incidents/INC-0001/summary", UriKind.Relative));
        Assert.Contains("INC-0001", summary, StringComparison.Ordinal);
        Assert.Contains("bad PSU", summary, StringComparison.Ordinal);

        string metrics = await host.Client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Contains("neocloud_incidents_total{severity=\"sev2\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("neocloud_pages_total 1", metrics, StringComparison.Ordinal);
        Assert.Contains("neocloud_notifications_total{receiver=\"oncall-bridge\",outcome=\"sent\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("neocloud_incident_time_to_resolve_seconds_count 1", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_incidents_are_404_and_an_unacknowledged_one_cannot_be_resolved()
    {
        await using var host = await StartAsync(new InMemoryReliabilityStore());
        var runtime = host.Services.GetRequiredService<ReliabilityRuntime>();
        await host.Client.PostJsonAsync("/api/v1/incidents/INC-9999/ack", new { note = "x" }, HttpStatusCode.NotFound);
        await host.Client.GetJsonAsync("/api/v1/incidents/INC-9999", HttpStatusCode.NotFound);

        await OpenIncidentAsync(host, "dgn-0001", Node, runtime.Now);
        var refused = await host.Client.PostJsonAsync("/api/v1/incidents/INC-0001/resolve", new { note = "gone" }, HttpStatusCode.Conflict);
        Assert.Contains("acknowledge it first", refused["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Incidents_list_filters_by_status_and_severity_and_pages()
    {
        await using var host = await StartAsync(new InMemoryReliabilityStore());
        var runtime = host.Services.GetRequiredService<ReliabilityRuntime>();
        var t0 = runtime.Now;
        await OpenIncidentAsync(host, "dgn-0001", Node, t0);
        await OpenIncidentAsync(host, "dgn-0002", "euw1-dc1-r01-n02", t0 + TimeSpan.FromMinutes(1));
        await host.Client.PostJsonAsync("/api/v1/incidents/INC-0002/ack", new { note = "mine" });

        var open = await host.Client.GetJsonAsync("/api/v1/incidents?status=open");
        Assert.Equal(["INC-0001"], open["items"].Strings("id"));
        var page = await host.Client.GetJsonAsync("/api/v1/incidents?severity=sev2&limit=1");
        Assert.Equal(["INC-0002"], page["items"].Strings("id"));
        var next = await host.Client.GetJsonAsync("/api/v1/incidents?severity=sev2&limit=1&cursor=" + page["nextCursor"]!.GetValue<string>());
        Assert.Equal(["INC-0001"], next["items"].Strings("id"));
        Assert.Empty((await host.Client.GetJsonAsync("/api/v1/incidents?severity=sev1"))["items"]!.AsArray());
        await host.Client.GetJsonAsync("/api/v1/incidents?status=sleeping", HttpStatusCode.BadRequest);

        var details = await host.Client.GetJsonAsync("/api/v1/incidents/INC-0001");
        Assert.Equal("node-down", details["alerts"]!.AsArray().Single()!["name"]!.GetValue<string>());
        Assert.Contains("fnd-dgn-0001", details["incident"]!["findingIds"]!.AsArray().Select(f => f!.GetValue<string>()));

        var figures = await host.Client.GetJsonAsync("/api/v1/incidents/metrics");
        Assert.Equal(2, figures["bySeverity"]!["sev2"]!["incidents"]!.GetValue<int>());
        Assert.Equal(1, figures["overall"]!["acknowledge"]!["samples"]!.GetValue<int>());

        var alerts = await host.Client.GetJsonAsync("/api/v1/alerts");
        Assert.Equal(2, alerts["items"]!.AsArray().Count);
        Assert.All(alerts["items"]!.AsArray(), a => Assert.False(a!["muted"]!.GetValue<bool>()));
    }

    [Fact]
    public async Task A_restarted_host_restores_unresolved_incidents_so_alerts_rejoin_them_and_numbering_continues()
    {
        var store = new InMemoryReliabilityStore();
        await using (var before = await StartAsync(store))
        {
            var runtime = before.Services.GetRequiredService<ReliabilityRuntime>();
            await OpenIncidentAsync(before, "dgn-0001", Node, runtime.Now);
        }

        await using var after = await StartAsync(store);
        var restored = await after.Client.GetJsonAsync("/api/v1/incidents/INC-0001");
        Assert.Equal("open", restored["incident"]!["status"]!.GetValue<string>());

        var later = after.Services.GetRequiredService<ReliabilityRuntime>();
        var t = later.Now;
        var rejoined = await OpenIncidentAsync(after, "dgn-0001", Node, t);
        Assert.Empty(rejoined); // the same diagnosis joins INC-0001 instead of opening another
        var opened = await OpenIncidentAsync(after, "dgn-0002", "euw1-dc1-r01-n02", t + TimeSpan.FromSeconds(40));
        Assert.Equal(["INC-0002"], opened);
        Assert.Equal(2, store.All(ReliabilityRecordKinds.Incident).Count);
    }

    [Fact]
    public async Task A_restored_incident_whose_diagnosis_still_stands_is_not_resolved_as_quiet_after_a_restart()
    {
        var store = new InMemoryReliabilityStore();
        var health = new NeoCloud.Health.Store.InMemoryHealthStore();
        DateTimeOffset t0;
        await using (var before = await StartAsync(store, health: health))
        {
            var runtime = before.Services.GetRequiredService<ReliabilityRuntime>();
            t0 = runtime.Now;
            var round = HealthRounds.NodeDown("dgn-0001", Node, t0);
            await health.AppendDiagnosisAsync(round.Diagnoses[0], CancellationToken.None);
            await OpenIncidentAsync(before, round);
        }

        await using var after = await StartAsync(store, health: health);
        var later = after.Services.GetRequiredService<ReliabilityRuntime>();
        await later.StepAsync(t0 + TimeSpan.FromMinutes(10), CancellationToken.None);
        await later.StepAsync(t0 + TimeSpan.FromMinutes(11), CancellationToken.None);

        var incident = (await after.Client.GetJsonAsync("/api/v1/incidents/INC-0001"))["incident"]!;
        Assert.Equal("open", incident["status"]!.GetValue<string>());
        var alert = (await after.Client.GetJsonAsync("/api/v1/alerts"))["items"]!.AsArray().Single()!;
        Assert.Equal("INC-0001", alert["incident"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_silence_mutes_matching_alerts_so_they_open_no_incident_until_it_is_expired()
    {
        var store = new InMemoryReliabilityStore();
        await using var host = await StartAsync(store);
        var runtime = host.Services.GetRequiredService<ReliabilityRuntime>();

        var silence = await host.Client.PostJsonAsync(
            "/api/v1/silences", new { matchers = new[] { $"node=\"{Node}\"" }, duration = "2h", comment = "planned maintenance", actor = "person:bob" }, HttpStatusCode.Created);
        string id = silence["id"]!.GetValue<string>();
        Assert.Contains(store.All(ReliabilityRecordKinds.Manifest), r => r.Id == "Silence/" + id);
        Assert.Contains(host.Audit.Records, r => r.Action == "reliability.silence" && r.Actor.ToString() == "person:bob");

        var opened = await OpenIncidentAsync(host, "dgn-0001", Node, runtime.Now);
        Assert.Empty(opened);
        var alert = (await host.Client.GetJsonAsync("/api/v1/alerts"))["items"]!.AsArray().Single()!;
        Assert.True(alert["silenced"]!.GetValue<bool>());
        Assert.Null(alert["incident"]);

        using (var expire = await host.Client.DeleteAsync(new Uri("/api/v1/silences/" + id, UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.NoContent, expire.StatusCode);
        }

        using (var missing = await host.Client.DeleteAsync(new Uri("/api/v1/silences/nope", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }

        var listed = await host.Client.GetJsonAsync("/api/v1/silences");
        Assert.Single(listed["items"]!.AsArray());
        await host.Client.PostJsonAsync("/api/v1/silences", new { matchers = new[] { "node" }, comment = "x", duration = "1h" }, HttpStatusCode.BadRequest);
        await host.Client.PostJsonAsync("/api/v1/silences", new { matchers = new[] { "node=a" }, duration = "1h" }, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_future_silence_expired_before_it_began_does_not_stop_a_restarted_host()
    {
        var store = new InMemoryReliabilityStore();
        await using (var before = await StartAsync(store))
        {
            var now = before.Services.GetRequiredService<ReliabilityRuntime>().Now;
            var silence = await before.Client.PostJsonAsync(
                "/api/v1/silences", new { matchers = new[] { "node=\"n9\"" }, startsAt = now + TimeSpan.FromHours(1), duration = "1h", comment = "next window" }, HttpStatusCode.Created);
            using var expire = await before.Client.DeleteAsync(new Uri("/api/v1/silences/" + silence["id"]!.GetValue<string>(), UriKind.Relative));
            Assert.Equal(HttpStatusCode.NoContent, expire.StatusCode);
        }

        await using var after = await StartAsync(store);
        var listed = await after.Client.GetJsonAsync("/api/v1/silences");
        Assert.Empty(listed["items"]!.AsArray());
    }

    [Fact]
    public async Task A_persons_ack_racing_the_engine_loses_neither_change()
    {
        var store = new InMemoryReliabilityStore();
        var other = new ListAlertSource();
        await using var host = await StartAsync(store, source: other);
        var runtime = host.Services.GetRequiredService<ReliabilityRuntime>();
        var t0 = runtime.Now;
        await OpenIncidentAsync(host, "dgn-0001", Node, t0);

        // Another source's alert on the same node joins INC-0001 (same failure domain) while a person acknowledges it.
        other.Set(Alert.Firing(t0 + TimeSpan.FromSeconds(40), ("alertname", "disk-full"), ("node", Node), ("severity", "warning")));
        var steps = Task.Run(async () =>
        {
            await runtime.StepAsync(t0 + TimeSpan.FromSeconds(40), CancellationToken.None);
            await runtime.StepAsync(t0 + TimeSpan.FromSeconds(80), CancellationToken.None);
        });
        var ack = host.Client.PostJsonAsync("/api/v1/incidents/INC-0001/ack", new { note = "on it", actor = "person:carol" });
        await Task.WhenAll(steps, ack);

        var incident = (await host.Client.GetJsonAsync("/api/v1/incidents/INC-0001"))["incident"]!;
        Assert.Equal("acknowledged", incident["status"]!.GetValue<string>());
        Assert.Equal(2, incident["alertFingerprints"]!.AsArray().Count);
        var record = await store.GetAsync(ReliabilityRecordKinds.Incident, "INC-0001", CancellationToken.None);
        Assert.Contains("person:carol", record!.Body, StringComparison.Ordinal);
        Assert.Contains("alertsJoined", record.Body, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Api_requests_are_counted_as_availability_and_latency_sli_events()
    {
        await using var host = await StartAsync(new InMemoryReliabilityStore());
        var sli = host.Services.GetRequiredService<SliEvents>();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/v1/incidents", UriKind.Relative));
        request.Headers.Add(SliMiddleware.TenantHeader, "acme");
        using (var response = await host.Client.SendAsync(request))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await SliWait.UntilAsync(() => sli.Count(SliEvents.ApiAvailability, "acme", good: true) >= 1 && sli.Count(SliEvents.ApiLatency, "acme", good: true) + sli.Count(SliEvents.ApiLatency, "acme", good: false) >= 1);
        Assert.Equal(1, sli.Count(SliEvents.ApiAvailability, "acme", good: true));
        Assert.Equal(0, sli.Count(SliEvents.ApiAvailability, "acme", good: false));
        Assert.Equal(1, sli.Count(SliEvents.ApiLatency, "acme", good: true) + sli.Count(SliEvents.ApiLatency, "acme", good: false));
        await host.Client.GetStringAsync(new Uri("/metrics", UriKind.Relative)); // not under /api: not counted
        Assert.Equal(1, sli.Count(SliEvents.ApiAvailability, "acme", good: true));
        string metrics = await host.Client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Contains("neocloud_sli_events_total{sli=\"api-availability\",neocloud_tenant=\"acme\",result=\"good\",threshold=\"\"} 1", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_webhook_without_a_url_stops_the_host_naming_the_key()
    {
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => NeoCloudTestHost.StartAsync(settings: new Dictionary<string, string>
        {
            ["NeoCloud:Reliability:Webhooks:0:Name"] = "bridge",
            ["NeoCloud:Reliability:Webhooks:0:Url"] = "not a url",
        }));
        Assert.Contains("NeoCloud:Reliability:Webhooks:0:Url", ex.Message, StringComparison.Ordinal);
    }

    /// <summary>Feeds a diagnosis and steps past group_wait; returns the incidents the two steps opened.</summary>
    private static Task<IReadOnlyList<string>> OpenIncidentAsync(NeoCloudTestHost host, string diagnosis, string node, DateTimeOffset at) =>
        OpenIncidentAsync(host, HealthRounds.NodeDown(diagnosis, node, at));

    private static async Task<IReadOnlyList<string>> OpenIncidentAsync(NeoCloudTestHost host, NeoCloud.Health.Pipeline.HealthRound round)
    {
        var runtime = host.Services.GetRequiredService<ReliabilityRuntime>();
        host.Services.GetRequiredService<HealthAlertFeed>().Enqueue(round);
        var a = await runtime.StepAsync(round.At, CancellationToken.None);
        var b = await runtime.StepAsync(round.At + PastGroupWait, CancellationToken.None);
        return [.. a.Opened.Concat(b.Opened).Select(i => i.Id)];
    }

    private static Task<NeoCloudTestHost> StartAsync(
        InMemoryReliabilityStore store, WebhookReceiver? receiver = null, ListAlertSource? source = null, NeoCloud.Health.Store.IHealthStore? health = null)
    {
        var settings = new Dictionary<string, string> { ["NeoCloud:Reliability:StepInterval"] = "01:00:00" };
        if (receiver is not null)
        {
            settings["NeoCloud:Reliability:Webhooks:0:Name"] = "oncall-bridge";
            settings["NeoCloud:Reliability:Webhooks:0:Url"] = receiver.Url.ToString();
        }

        return NeoCloudTestHost.StartAsync(settings: settings, moreServices: s =>
        {
            s.AddSingleton<IReliabilityStore>(store);
            if (health is not null)
            {
                s.AddSingleton(health);
            }

            if (source is not null)
            {
                s.AddSingleton<IAlertSource>(source);
            }
        });
    }
}
