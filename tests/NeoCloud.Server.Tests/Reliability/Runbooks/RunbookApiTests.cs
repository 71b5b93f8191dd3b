using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using NeoCloud.Fleet.Lifecycle;
using NeoCloud.Kernel.Ids;
using NeoCloud.Reliability.Alerting;
using NeoCloud.Reliability.Runbooks;
using NeoCloud.Reliability.Store;
using NeoCloud.Server.Reliability.Runbooks;
using NeoCloud.Server.Tests.Api;
using NeoCloud.Server.Tests.Fakes;

namespace NeoCloud.Server.Tests.Reliability.Runbooks;

/// <summary>The runbook API end to end on the real host: manifests put and read, runs started, gated, approved and cancelled, actions on the fleet audited.</summary>
public sealed class RunbookApiTests
{
    private const string Node = "euw1-dc1-r01-n01";

    // Health off: nothing but the runbooks changes the fleet under test.
    private static readonly Dictionary<string, string> HealthOff = new() { ["NeoCloud:Health:Enabled"] = "false" };

    private const string Manifest = """
        apiVersion: neocloud.dev/v1
        kind: Runbook
        metadata:
          name: fence-node
        spec:
          description: cordon then drain a node
          parameters:
            - name: node
              required: true
          triggers:
            - matchers: ['alertname="node-down"']
              parameters: { node: "{{ .labels.node }}" }
          steps:
            - name: look
              action: query
              with: { node: "{{ .params.node }}" }
            - name: cordon
              action: cordon
              with: { node: "{{ .params.node }}" }
            - name: drain
              action: drain
              with: { node: "{{ .params.node }}", reason: "test" }
        """;

    private static Task<NeoCloudTestHost> StartHostAsync(InMemoryReliabilityStore? store = null, Dictionary<string, string>? settings = null) =>
        NeoCloudTestHost.StartAsync(settings: settings ?? HealthOff, moreServices: s => s.AddSingleton<IReliabilityStore>(store ?? new InMemoryReliabilityStore()));

    private static async Task<JsonNodeResult> PutAsync(NeoCloudTestHost host, string name, string yaml, HttpStatusCode expected)
    {
        using var content = new StringContent(yaml, Encoding.UTF8, "application/yaml");
        using var response = await host.Client.PutAsync(new Uri($"/api/v1/runbooks/{name}", UriKind.Relative), content);
        return new JsonNodeResult(await ApiJson.ReadAsync(response, expected));
    }

    private static async Task<System.Text.Json.Nodes.JsonNode> SettledRunAsync(NeoCloudTestHost host, string id)
    {
        await host.Services.GetRequiredService<RunbookService>().IdleAsync();
        return await host.Client.GetJsonAsync($"/api/v1/runbook-runs/{id}");
    }

    [Fact]
    public async Task An_invalid_manifest_is_a_400_listing_every_error_with_its_line()
    {
        await using var host = await StartHostAsync();

        var problem = (await PutAsync(host, "fence-node", Manifest.Replace("action: drain", "action: drian", StringComparison.Ordinal).Replace("{{ .params.node }}\" }\n    - name: cordon", "{{ .params.host }}\" }\n    - name: cordon", StringComparison.Ordinal), HttpStatusCode.BadRequest)).Node;

        Assert.Equal("https://neocloud.dev/problems/invalid-request", problem["type"]!.GetValue<string>());
        string action = problem["errors"]!["spec.steps[2].action"]![0]!.GetValue<string>();
        Assert.StartsWith("line 21, column 15", action, StringComparison.Ordinal);
        Assert.Contains("'drian' is not an action", action, StringComparison.Ordinal);
        Assert.Contains("'host' is not a declared parameter", problem["errors"]!["spec.steps[0].with.node"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_runbook_put_once_is_created_and_put_again_is_replaced_and_listed()
    {
        var store = new InMemoryReliabilityStore();
        await using var host = await StartHostAsync(store);

        var created = (await PutAsync(host, "fence-node", Manifest, HttpStatusCode.Created)).Node;
        await PutAsync(host, "fence-node", Manifest, HttpStatusCode.OK);
        await PutAsync(host, "fence-node", Manifest.Replace("cordon then drain a node", "fence", StringComparison.Ordinal), HttpStatusCode.OK);
        var list = await host.Client.GetJsonAsync("/api/v1/runbooks");
        var one = await host.Client.GetJsonAsync("/api/v1/runbooks/fence-node");

        Assert.Equal("fence-node", created["name"]!.GetValue<string>());
        Assert.Equal(["fence-node"], list["items"].Strings("name"));
        Assert.Equal("fence", one["description"]!.GetValue<string>());
        Assert.Equal("required", one["steps"]![2]!["approval"]!.GetValue<string>());
        Assert.Equal("alertname=\"node-down\"", one["triggers"]![0]!["matchers"]![0]!.GetValue<string>());
        Assert.Equal(2, (await store.GetAsync(ReliabilityRecordKinds.Manifest, "Runbook/fence-node", default))!.Version);
        Assert.Contains(host.Audit.Records, r => r is { Action: "runbook.create", Target: "runbook/fence-node" });
        Assert.Single(host.Audit.Records, r => r is { Action: "runbook.update", Target: "runbook/fence-node" });
    }

    [Fact]
    public async Task A_manifest_put_under_another_name_is_refused()
    {
        await using var host = await StartHostAsync();

        var problem = (await PutAsync(host, "other", Manifest, HttpStatusCode.BadRequest)).Node;

        Assert.Contains("'fence-node' but was put at 'other'", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_cordons_waits_for_a_second_person_then_drains_and_every_action_is_audited()
    {
        await using var host = await StartHostAsync();
        await PutAsync(host, "fence-node", Manifest, HttpStatusCode.Created);

        var started = await host.Client.PostJsonAsync("/api/v1/runbooks/fence-node/runs", new { parameters = new { node = Node }, actor = "alice" }, HttpStatusCode.Created);
        string id = started["id"]!.GetValue<string>();
        var waiting = await SettledRunAsync(host, id);
        var selfApproval = await host.Client.PostJsonAsync($"/api/v1/runbook-runs/{id}/approve", new { actor = "alice" }, HttpStatusCode.Forbidden);
        Assert.Equal(LifecycleState.Cordoned, (await host.Fleet.GetNodeAsync(new NodeId(Node), default))!.State);
        await host.Client.PostJsonAsync($"/api/v1/runbook-runs/{id}/approve", new { actor = "bob", step = "drain" });
        var retried = await host.Client.PostJsonAsync($"/api/v1/runbook-runs/{id}/approve", new { actor = "bob", step = "drain" });
        var done = await SettledRunAsync(host, id);

        Assert.StartsWith("rbk-", id, StringComparison.Ordinal);
        Assert.Equal("awaiting-approval", waiting["state"]!.GetValue<string>());
        Assert.Equal("drain", waiting["steps"]![waiting["currentStep"]!.GetValue<int>()]!["name"]!.GetValue<string>());
        Assert.Equal("https://neocloud.dev/problems/forbidden", selfApproval["type"]!.GetValue<string>());
        Assert.NotNull(retried["id"]);
        Assert.Equal("succeeded", done["state"]!.GetValue<string>());
        Assert.Equal("person:bob", done["steps"]![2]!["approvedBy"]!.GetValue<string>());
        Assert.Contains("is available", done["steps"]![0]!["output"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(LifecycleState.Draining, (await host.Fleet.GetNodeAsync(new NodeId(Node), default))!.State);
        var audit = host.Audit.Records;
        Assert.Contains(audit, r => r.Action == "runbook.run.start" && r.Actor.ToString() == "person:alice" && r.Target == $"runbook-run/{id}");
        Assert.Contains(audit, r => r.Action == "runbook.run.approve" && r.Actor.ToString() == "person:bob");
        Assert.Contains(audit, r => r.Action == "runbook.cordon" && r.Actor.ToString() == $"automation:runbook:{id}" && r.Target == Node && r.Reason.Contains("on behalf of person:alice", StringComparison.Ordinal));
        Assert.Contains(audit, r => r.Action == "runbook.drain" && r.Reason.Contains("on behalf of person:bob", StringComparison.Ordinal));
        Assert.Single(audit, r => r.Action == "runbook.run.approve");
    }

    [Fact]
    public async Task A_dry_run_changes_nothing_and_says_what_each_step_would_do()
    {
        await using var host = await StartHostAsync();
        await PutAsync(host, "fence-node", Manifest, HttpStatusCode.Created);

        var started = await host.Client.PostJsonAsync("/api/v1/runbooks/fence-node/runs", new { parameters = new { node = Node }, dryRun = true, actor = "alice" }, HttpStatusCode.Created);
        var run = await SettledRunAsync(host, started["id"]!.GetValue<string>());

        Assert.Equal("succeeded", run["state"]!.GetValue<string>());
        Assert.StartsWith("would cordon node", run["steps"]![1]!["output"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.StartsWith("would drain node", run["steps"]![2]!["output"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(LifecycleState.Available, (await host.Fleet.GetNodeAsync(new NodeId(Node), default))!.State);
        Assert.Contains(host.Audit.Records, r => r.Action == "runbook.drain.dry-run");
    }

    [Fact]
    public async Task Runs_are_listed_by_state_and_runbook_and_bad_filters_are_400()
    {
        await using var host = await StartHostAsync();
        await PutAsync(host, "fence-node", Manifest, HttpStatusCode.Created);
        var dry = await host.Client.PostJsonAsync("/api/v1/runbooks/fence-node/runs", new { parameters = new { node = Node }, dryRun = true }, HttpStatusCode.Created);
        var real = await host.Client.PostJsonAsync("/api/v1/runbooks/fence-node/runs", new { parameters = new { node = Node } }, HttpStatusCode.Created);
        await host.Services.GetRequiredService<RunbookService>().IdleAsync();

        var waiting = await host.Client.GetJsonAsync("/api/v1/runbook-runs?state=awaiting-approval");
        var ofRunbook = await host.Client.GetJsonAsync("/api/v1/runbook-runs?runbook=fence-node&limit=1");
        var bad = await host.Client.GetJsonAsync("/api/v1/runbook-runs?state=sleeping", HttpStatusCode.BadRequest);

        Assert.Equal([real["id"]!.GetValue<string>()], waiting["items"].Strings("id"));
        Assert.Single(ofRunbook["items"]!.AsArray());
        Assert.NotNull(ofRunbook["nextCursor"]);
        Assert.NotNull(bad["errors"]!["state"]);
        Assert.NotNull(dry["id"]);
    }

    [Fact]
    public async Task Unknown_runbooks_and_runs_are_404_bad_parameters_400_and_cancel_needs_a_reason()
    {
        await using var host = await StartHostAsync();
        await PutAsync(host, "fence-node", Manifest, HttpStatusCode.Created);

        await host.Client.GetJsonAsync("/api/v1/runbooks/nope", HttpStatusCode.NotFound);
        await host.Client.GetJsonAsync("/api/v1/runbook-runs/rbk-nope", HttpStatusCode.NotFound);
        await host.Client.PostJsonAsync("/api/v1/runbooks/nope/runs", new { }, HttpStatusCode.NotFound);
        var missing = await host.Client.PostJsonAsync("/api/v1/runbooks/fence-node/runs", new { parameters = new { host = Node } }, HttpStatusCode.BadRequest);
        var started = await host.Client.PostJsonAsync("/api/v1/runbooks/fence-node/runs", new { parameters = new { node = Node } }, HttpStatusCode.Created);
        string id = started["id"]!.GetValue<string>();
        var noReason = await host.Client.PostJsonAsync($"/api/v1/runbook-runs/{id}/cancel", new { actor = "bob" }, HttpStatusCode.BadRequest);
        await host.Services.GetRequiredService<RunbookService>().IdleAsync();
        var cancelled = await host.Client.PostJsonAsync($"/api/v1/runbook-runs/{id}/cancel", new { actor = "bob", reason = "wrong node" });
        var approveCancelled = await host.Client.PostJsonAsync($"/api/v1/runbook-runs/{id}/approve", new { actor = "carol" }, HttpStatusCode.Conflict);

        Assert.Contains("parameter 'node' is required", missing["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.NotNull(noReason["errors"]!["reason"]);
        Assert.Equal("cancelled", cancelled["state"]!.GetValue<string>());
        Assert.Equal("https://neocloud.dev/problems/conflict", approveCancelled["type"]!.GetValue<string>());
        Assert.Contains(host.Audit.Records, r => r.Action == "runbook.run.cancel" && r.Reason == "wrong node");
    }

    [Fact]
    public async Task A_firing_alert_starts_its_runbook_once_however_often_it_is_notified()
    {
        await using var host = await StartHostAsync();
        await PutAsync(host, "fence-node", Manifest, HttpStatusCode.Created);
        var service = host.Services.GetRequiredService<RunbookService>();
        var alert = Alert.Firing(DateTimeOffset.UtcNow.AddMinutes(-1), ("alertname", "node-down"), ("node", Node));

        var first = await service.StartForAlertAsync(alert, default);
        var again = await service.StartForAlertAsync(alert, default);
        var unbound = await service.StartForAlertAsync(Alert.Firing(DateTimeOffset.UtcNow, ("alertname", "node-down")), default);
        var run = await SettledRunAsync(host, Assert.Single(first).Id);

        Assert.Equal(first[0].Id, Assert.Single(again).Id);
        Assert.Empty(unbound);
        Assert.Equal("alert", run["trigger"]!["kind"]!.GetValue<string>());
        Assert.Equal("node-down", run["trigger"]!["alertName"]!.GetValue<string>());
        Assert.Equal("automation:runbook-trigger", run["startedBy"]!.GetValue<string>());
        Assert.Equal("awaiting-approval", run["state"]!.GetValue<string>());
        Assert.Single((await host.Client.GetJsonAsync("/api/v1/runbook-runs"))["items"]!.AsArray());
        Assert.Single(host.Audit.Records, r => r.Action == "runbook.run.start");
    }

    [Fact]
    public async Task Runbook_files_in_the_configured_directory_are_loaded_at_start()
    {
        string examples = Path.Combine(Root(), "examples", "runbooks");
        await using var host = await StartHostAsync(settings: new Dictionary<string, string>(HealthOff) { ["NeoCloud:Reliability:RunbooksPath"] = examples });

        var list = await host.Client.GetJsonAsync("/api/v1/runbooks");

        Assert.Contains("drain-and-diagnose-node", list["items"].Strings("name"));
        Assert.Contains("restart-failed-job", list["items"].Strings("name"));
    }

    [Theory]
    [InlineData("cordon", "awaiting-approval", "succeeded")]
    [InlineData("drain", "failed", "unknown")]
    public async Task A_run_left_mid_step_by_a_dead_process_is_resumed_at_start_and_only_idempotent_steps_repeat(string interrupted, string state, string outcome)
    {
        var store = new InMemoryReliabilityStore();
        var now = DateTimeOffset.UtcNow;
        string[] names = ["look", "cordon", "drain"];
        var actions = new[] { RunbookAction.Query, RunbookAction.Cordon, RunbookAction.Drain };
        int at = Array.IndexOf(names, interrupted);
        var steps = names.Select((name, i) => new RunbookStepRecord(
            name, actions[i], new Dictionary<string, string> { ["node"] = Node },
            i == 2 ? ApprovalPolicy.Required : ApprovalPolicy.None,
            FailurePolicy.Stop, null,
            i < at ? RunbookStepOutcome.Succeeded : i == at ? RunbookStepOutcome.Running : RunbookStepOutcome.Pending,
            StartedAt: i <= at ? now : null, ApprovedBy: i == 2 && at == 2 ? "person:bob" : null)).ToArray();
        var left = new RunbookRun("rbk-left", 1, "fence-node", "hash", new Dictionary<string, string> { ["node"] = Node }, null,
            RunbookRunTrigger.Manual, "person:alice", false, RunbookRunState.Running, at, steps,
            [new RunbookRunEvent(now, "person:alice", "started")], now, now);
        await store.CreateAsync(RunbookRunCodec.ToRecord(left), default);

        await using var host = await StartHostAsync(store);
        var run = await SettledRunAsync(host, "rbk-left");

        Assert.Equal(state, run["state"]!.GetValue<string>());
        Assert.Equal(outcome, run["steps"]![at]!["outcome"]!.GetValue<string>());
        Assert.Equal(at == 1 ? LifecycleState.Cordoned : LifecycleState.Available, (await host.Fleet.GetNodeAsync(new NodeId(Node), default))!.State);
    }

    private static string Root()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "NeoCloud.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Cannot find the repository root (NeoCloud.slnx).");
    }

    private sealed record JsonNodeResult(System.Text.Json.Nodes.JsonNode Node);
}
