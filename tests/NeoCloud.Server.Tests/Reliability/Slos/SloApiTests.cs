using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using NeoCloud.Reliability.Export;
using NeoCloud.Reliability.Store;
using NeoCloud.Server.Reliability;
using NeoCloud.Server.Reliability.Slos;
using NeoCloud.Server.Tests.Api;
using NeoCloud.Server.Tests.Fakes;

namespace NeoCloud.Server.Tests.Reliability.Slos;

/// <summary>
/// The SLOs in the real host: the built-in catalogue, SLOs declared through the API and kept in the store, built-in SLI
/// events reaching the book, burn-rate alerts becoming an incident, and the error-budget policy's decision. The loops'
/// timers are set to an hour so each test evaluates and steps at the instants it chooses.
/// </summary>
public sealed class SloApiTests
{
    private const string TenantSlo = """
        apiVersion: neocloud.dev/v1
        kind: SLO
        metadata:
          name: acme-job-success
        spec:
          service: acme-training
          tenant: acme
          lineOfBusiness: training
          indicator:
            spec:
              builtIn: job-success
          timeWindow:
            - duration: 30d
              isRolling: true
          budgetingMethod: Occurrences
          objectives:
            - target: 0.99
        """;

    private static readonly Dictionary<string, string> Settings = new()
    {
        ["NeoCloud:Reliability:StepInterval"] = "01:00:00",
        ["NeoCloud:Slos:EvaluationInterval"] = "01:00:00",
    };

    [Fact]
    public async Task A_fresh_region_keeps_the_built_in_slos_on_itself()
    {
        await using var host = await StartAsync(new InMemoryReliabilityStore());
        var list = await host.Client.GetJsonAsync("/api/v1/slos");
        var names = list["items"]!.AsArray().Select(s => s!["name"]!.GetValue<string>()).ToList();

        Assert.Equal(["api-availability", "api-latency", "gpu-node-availability", "job-start-latency", "job-success", "training-goodput"], names);
        Assert.All(list["items"]!.AsArray(), s => Assert.Equal("built-in", s!["source"]!.GetValue<string>()));
        var latency = await host.Client.GetJsonAsync("/api/v1/slos/api-latency");
        Assert.Equal("built-in api-latency within 500ms", latency["indicator"]!.GetValue<string>());
    }

    [Fact]
    public async Task Api_requests_are_counted_into_the_api_slos()
    {
        await using var host = await StartAsync(new InMemoryReliabilityStore());
        for (int i = 0; i < 5; i++)
        {
            await host.Client.GetJsonAsync("/api/v1/slos");
        }

        // The middleware counts a request after the response has gone out, so the last one may still be on its way.
        var sli = host.Services.GetRequiredService<SliEvents>();
        await SliWait.UntilAsync(() => sli.Count(SliEvents.ApiAvailability, null, good: true) >= 5);
        await host.Services.GetRequiredService<SloRuntime>().EvaluateAsync(CancellationToken.None);
        var availability = (await host.Client.GetJsonAsync("/api/v1/slos/api-availability"))["objectives"]![0]!;
        var latency = (await host.Client.GetJsonAsync("/api/v1/slos/api-latency"))["objectives"]![0]!;

        Assert.True(availability["events"]!.GetValue<long>() >= 5);
        Assert.Equal(1.0, availability["budgetRemaining"]!.GetValue<double>());
        Assert.True(latency["events"]!.GetValue<long>() >= 5);
    }

    [Fact]
    public async Task An_slo_put_through_the_api_is_stored_audited_listed_and_survives_a_restart()
    {
        var store = new InMemoryReliabilityStore();
        await using (var host = await StartAsync(store))
        {
            var created = await PutAsync(host, "/api/v1/slos", TenantSlo);
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            var again = await PutAsync(host, "/api/v1/slos/acme-job-success", TenantSlo);
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);

            var acme = await host.Client.GetJsonAsync("/api/v1/slos?tenant=acme");
            var only = Assert.Single(acme["items"]!.AsArray());
            Assert.Equal("api", only!["source"]!.GetValue<string>());
            Assert.Contains(host.Audit.Records, e => e.Action == "slo.create" && e.Target == "slo/acme-job-success");
            Assert.DoesNotContain(host.Audit.Records, e => e.Action == "slo.update");
        }

        Assert.Single(store.All(ReliabilityRecordKinds.Manifest), r => r.Id == "SLO/acme-job-success");
        await using (var restarted = await StartAsync(store))
        {
            var slo = await restarted.Client.GetJsonAsync("/api/v1/slos/acme-job-success");
            Assert.Equal("acme", slo["tenant"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task A_bad_slo_manifest_is_refused_with_its_line_and_nothing_is_stored()
    {
        var store = new InMemoryReliabilityStore();
        await using var host = await StartAsync(store);
        var response = await PutAsync(host, "/api/v1/slos", TenantSlo.Replace("target: 0.99", "target: 1.5", StringComparison.Ordinal));
        var problem = await ApiJson.ReadAsync(response, HttpStatusCode.BadRequest);

        Assert.Contains("line 17", problem.ToJsonString(), StringComparison.Ordinal);
        Assert.Empty(store.All(ReliabilityRecordKinds.Manifest));
        var mismatch = await PutAsync(host, "/api/v1/slos/other-name", TenantSlo);
        Assert.Equal(HttpStatusCode.BadRequest, mismatch.StatusCode);
    }

    [Fact]
    public async Task Only_slos_declared_through_the_api_can_be_withdrawn_through_it()
    {
        await using var host = await StartAsync(new InMemoryReliabilityStore());
        await PutAsync(host, "/api/v1/slos", TenantSlo);

        Assert.Equal(HttpStatusCode.Conflict, (await host.Client.DeleteAsync(new Uri("/api/v1/slos/job-success", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await host.Client.DeleteAsync(new Uri("/api/v1/slos/acme-job-success", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.DeleteAsync(new Uri("/api/v1/slos/acme-job-success", UriKind.Relative))).StatusCode);
        Assert.Contains(host.Audit.Records, e => e.Action == "slo.delete");
    }

    [Fact]
    public async Task A_burning_slo_pages_opens_one_incident_and_freezes_changes_to_its_service()
    {
        await using var host = await StartAsync(new InMemoryReliabilityStore());
        await PutAsync(host, "/api/v1/slos", TenantSlo);
        var slos = host.Services.GetRequiredService<SloRuntime>();
        var reliability = host.Services.GetRequiredService<ReliabilityRuntime>();
        var now = reliability.Now;

        // Half of acme's jobs fail on the infrastructure: 50x the budget, in every window.
        slos.Record("job-success", "acme", now, good: 50, total: 100);
        await slos.EvaluateAsync(CancellationToken.None);

        var objective = (await host.Client.GetJsonAsync("/api/v1/slos/acme-job-success"))["objectives"]![0]!;
        Assert.Contains(objective["firingWindows"]!.AsArray(), w => w!["severity"]!.GetValue<string>() == "page");
        Assert.True(objective["budgetRemaining"]!.GetValue<double>() < 0);

        var alerts = slos.Alerts(now);
        Assert.Contains(alerts, a => a["alertname"] == RuleNames.PageAlert && a[RuleNames.SloLabel] == "acme-job-success" && a[RuleNames.TenantLabel] == "acme");

        var first = await reliability.StepAsync(now, CancellationToken.None);
        var second = await reliability.StepAsync(now + TimeSpan.FromSeconds(31), CancellationToken.None);
        // The tenant's SLO and the region's job-success SLO (which counts every tenant's jobs) both burn: one incident each.
        var opened = first.Opened.Concat(second.Opened).ToList();
        Assert.Equal(2, opened.Count);
        var incident = Assert.Single(opened, i => i.AffectedSlos.Contains("acme-job-success"));
        Assert.Contains("acme", incident.AffectedTenants);
        Assert.Single(opened, i => i.AffectedSlos.Contains("job-success"));

        var policy = await host.Client.GetJsonAsync("/api/v1/slos/policy?service=acme-training");
        Assert.Equal("frozen", policy["decision"]!.GetValue<string>());
        Assert.Contains("acme-job-success", policy["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        var other = await host.Client.GetJsonAsync("/api/v1/slos/policy?service=neocloud-api");
        Assert.Equal("allowed", other["decision"]!.GetValue<string>());
    }

    [Fact]
    public async Task Latency_events_are_judged_against_each_declared_threshold()
    {
        await using var host = await StartAsync(new InMemoryReliabilityStore());
        var slos = host.Services.GetRequiredService<SloRuntime>();
        var sli = host.Services.GetRequiredService<SliEvents>();
        await PutAsync(host, "/api/v1/slos", TenantSlo
            .Replace("acme-job-success", "acme-start", StringComparison.Ordinal)
            .Replace("builtIn: job-success", "builtIn: { name: job-start-latency, threshold: 2m }", StringComparison.Ordinal));

        Assert.Equal([TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10)], sli.LatencyThresholds("job-start-latency").Order());
        sli.RecordLatency("job-start-latency", "acme", DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)); // the book stamps it on its own clock
        await slos.EvaluateAsync(CancellationToken.None);

        // Five minutes is bad for the tenant's 2-minute SLO and good for the region's 10-minute one.
        var tenant = slos.StatusesOf("acme-start").Single();
        var region = slos.StatusesOf("job-start-latency").Single();
        Assert.Equal((1L, 1L), (tenant.Windows[0].Bad, tenant.Windows[0].Total));
        Assert.Equal((0L, 1L), (region.Windows[0].Bad, region.Windows[0].Total));
    }

    private static Task<HttpResponseMessage> PutAsync(NeoCloudTestHost host, string path, string yaml) =>
        host.Client.PutAsync(new Uri(path, UriKind.Relative), new StringContent(yaml, Encoding.UTF8, "application/yaml"));

    private static Task<NeoCloudTestHost> StartAsync(InMemoryReliabilityStore store) =>
        NeoCloudTestHost.StartAsync(settings: Settings, moreServices: s => s.AddSingleton<IReliabilityStore>(store));

    [Fact]
    public async Task A_policy_put_through_the_api_decides_for_the_services_it_names_and_is_kept()
    {
        const string Policy = """
            apiVersion: neocloud.dev/v1
            kind: ErrorBudgetPolicy
            metadata:
              name: acme-strict
            spec:
              services: [acme-training]
              rules:
                - budgetRemainingBelow: 100%
                  decision: needsApproval
            """;
        var store = new InMemoryReliabilityStore();
        await using (var host = await StartAsync(store))
        {
            await PutAsync(host, "/api/v1/slos", TenantSlo);
            var created = await PutAsync(host, "/api/v1/error-budget-policies", Policy);
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            var bad = await PutAsync(host, "/api/v1/error-budget-policies", Policy.Replace("needsApproval", "maybe", StringComparison.Ordinal));
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);

            var slos = host.Services.GetRequiredService<SloRuntime>();
            slos.Record("job-success", "acme", DateTimeOffset.UtcNow, 999, 1000);
            await slos.EvaluateAsync(CancellationToken.None);

            // One failure in a thousand leaves 90% of a 1% budget: the default allows it, this policy wants approval.
            var decision = await host.Client.GetJsonAsync("/api/v1/slos/policy?service=acme-training");
            Assert.Equal(("needs-approval", "acme-strict"), (decision["decision"]!.GetValue<string>(), decision["policy"]!.GetValue<string>()));
            var listed = await host.Client.GetJsonAsync("/api/v1/error-budget-policies");
            Assert.Equal(["acme-strict", "default"], listed["items"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()));
            Assert.Contains(host.Audit.Records, r => r.Action == "error-budget-policy.create");
        }

        await using var restarted = await StartAsync(store);
        var again = await restarted.Client.GetJsonAsync("/api/v1/error-budget-policies");
        Assert.Contains(again["items"]!.AsArray(), p => p!["name"]!.GetValue<string>() == "acme-strict");
    }
}
