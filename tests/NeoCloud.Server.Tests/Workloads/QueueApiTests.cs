using System.Net;
using NeoCloud.Server.Tests.Api;
using NeoCloud.Server.Tests.Fakes;
using NeoCloud.Workloads.Store;

namespace NeoCloud.Server.Tests.Workloads;

public sealed class QueueApiTests
{
    private const string CohortAndQueue = """
        apiVersion: neocloud.dev/v1
        kind: Cohort
        metadata: { name: training }
        ---
        apiVersion: neocloud.dev/v1
        kind: Queue
        metadata: { name: research }
        spec:
          tenant: acme
          cohort: training
          quotas:
            - { flavour: h100-sxm5-80gb, nominal: 16 }
        """;

    [Fact]
    public async Task A_fresh_host_declares_the_default_queue_over_the_whole_fleet()
    {
        await using var host = await NeoCloudTestHost.StartAsync();

        var queues = await host.Client.GetJsonAsync("/api/v1/queues");
        var tenants = await host.Client.GetJsonAsync("/api/v1/tenants");

        Assert.Equal(["default"], queues["items"].Strings("name"));
        Assert.Equal(["default"], tenants["items"].Strings("name"));
    }

    [Fact]
    public async Task A_cohort_and_a_queue_put_together_are_listed_with_their_tenant_and_the_queue_keeps_its_manifest()
    {
        await using var host = await NeoCloudTestHost.StartAsync();

        var applied = await host.Client.ApplyQueuesAsync(CohortAndQueue);
        var queues = await host.Client.GetJsonAsync("/api/v1/queues");
        var acmeQueues = await host.Client.GetJsonAsync("/api/v1/queues?tenant=acme");
        var tenants = await host.Client.GetJsonAsync("/api/v1/tenants");
        var research = await host.Client.GetJsonAsync("/api/v1/queues/research");

        Assert.Equal(["training", "research"], applied["items"].Strings("name"));
        Assert.Equal(["default", "research"], queues["items"].Strings("name"));
        Assert.Equal(["research"], acmeQueues["items"].Strings("name"));
        Assert.Equal(["acme", "default"], tenants["items"].Strings("name"));
        Assert.Equal(["research"], tenants["items"]![0]!["queues"]!.AsArray().Select(q => q!.GetValue<string>()));
        Assert.Equal(("research", "acme", "training"), (research["status"]!.Text("name"), research["status"]!.Text("tenant"), research["status"]!.Text("cohort")));
        Assert.Contains("nominal: 16", research.Text("manifest"), StringComparison.Ordinal);

        var job = await host.Client.SubmitAsync(WorkloadApi.Job("train", queue: "research", work: "05:00:00"));
        await host.Client.WaitForStateAsync(job.Text("id"), "running");
        var status = await host.Client.GetJsonAsync("/api/v1/queues/research");
        var tenant = (await host.Client.GetJsonAsync("/api/v1/tenants"))["items"]![0]!;
        Assert.Equal(1, status["status"]!["running"]!.GetValue<int>());
        Assert.Equal(1, tenant["running"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_queue_naming_an_undeclared_cohort_is_a_400_and_nothing_is_stored()
    {
        await using var host = await NeoCloudTestHost.StartAsync();
        const string orphan = """
            apiVersion: neocloud.dev/v1
            kind: Queue
            metadata: { name: research }
            spec:
              tenant: acme
              cohort: nowhere
              quotas: [{ flavour: h100-sxm5-80gb, nominal: 16 }]
            """;

        var problem = await host.Client.ApplyQueuesAsync(orphan, HttpStatusCode.BadRequest);

        Assert.Contains("'nowhere'", problem.Text("detail"), StringComparison.Ordinal);
        Assert.Null(await host.Workloads.GetDeclarationAsync(DeclarationKind.Queue, "research", default));
        Assert.Equal(["default"], (await host.Client.GetJsonAsync("/api/v1/queues"))["items"].Strings("name"));
        await host.Client.GetJsonAsync("/api/v1/queues/research", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_invalid_queue_manifest_is_a_400_with_the_line_of_each_error()
    {
        await using var host = await NeoCloudTestHost.StartAsync();
        const string bad = """
            apiVersion: neocloud.dev/v1
            kind: Queue
            metadata: { name: research }
            spec:
              tenant: acme
              quotas: [{ flavour: h100-sxm5-80gb, nominal: -4 }]
              wieght: 2
            """;

        var problem = await host.Client.ApplyQueuesAsync(bad, HttpStatusCode.BadRequest);

        var messages = problem["errors"]!.AsObject().SelectMany(e => e.Value!.AsArray().Select(m => m!.GetValue<string>())).ToList();
        Assert.Contains(messages, m => m.StartsWith("line 6, ", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("line 7, ", StringComparison.Ordinal) && m.Contains("wieght", StringComparison.Ordinal));
        Assert.Equal(["default"], (await host.Client.GetJsonAsync("/api/v1/queues"))["items"].Strings("name"));
    }
}
