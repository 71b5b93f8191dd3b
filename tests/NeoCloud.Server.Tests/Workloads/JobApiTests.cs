using System.Net;
using NeoCloud.Server.Tests.Api;
using NeoCloud.Server.Tests.Fakes;

namespace NeoCloud.Server.Tests.Workloads;

public sealed class JobApiTests
{
    [Fact]
    public async Task A_yaml_job_is_created_and_submitting_it_again_with_its_idempotency_key_returns_the_same_job()
    {
        await using var host = await NeoCloudTestHost.StartAsync();
        string manifest = WorkloadApi.Job("train", key: "run-42", work: "01:00:00");

        using var first = await host.Client.SendYamlAsync(HttpMethod.Post, "/api/v1/jobs", manifest);
        var created = await ApiJson.ReadAsync(first, HttpStatusCode.Created);
        var again = await host.Client.SubmitAsync(manifest, HttpStatusCode.OK);

        string id = created.Text("id");
        Assert.StartsWith("job-", id, StringComparison.Ordinal);
        Assert.Equal($"/api/v1/jobs/{id}", first.Headers.Location!.OriginalString);
        Assert.True(created["created"]!.GetValue<bool>());
        Assert.Contains(created.Text("state"), new[] { "pending", "admitted", "placed", "running" });
        Assert.True(created["estimatedStart"] is not null || created.Text("state") != "pending", "a pending job shows when it is expected to start");
        Assert.Equal(("acme", "default", "train"), (created.Text("tenant"), created.Text("queue"), created.Text("name")));
        Assert.Equal(id, again.Text("id"));
        Assert.False(again["created"]!.GetValue<bool>());
        var list = await host.Client.GetJsonAsync("/api/v1/jobs?tenant=acme");
        Assert.Single(list["items"]!.AsArray());
    }

    [Fact]
    public async Task A_service_manifest_is_created_reaches_running_spread_over_distinct_nodes_and_stops_on_cancel()
    {
        await using var host = await NeoCloudTestHost.StartAsync();
        const string manifest = """
            apiVersion: neocloud.dev/v1
            kind: Service
            metadata: { name: chat, tenant: acme }
            spec:
              queue: default
              replicas: { min: 2, max: 4 }
              resources: { gpus: 1, cpu: 4, memory: 16 }
              spreadAcross: node
              priorityClass: normal
              run: { image: registry.example/chat:1 }
            """;

        var created = await host.Client.SubmitAsync(manifest);
        string id = created.Text("id");
        Assert.Equal("Service", created.Text("kind"));
        await host.Client.WaitForStateAsync(id, "running");

        var job = await host.Workloads.GetAsync(new NeoCloud.Kernel.Ids.JobId(id), default);
        Assert.Equal(2, job!.Placement.Select(r => r.Node).Distinct().Count());
        var cancelled = await host.Client.CancelAsync(id);
        Assert.Equal("cancelled", cancelled.Text("state"));
    }

    [Fact]
    public async Task The_same_idempotency_key_with_a_different_spec_is_a_409_naming_the_existing_job()
    {
        await using var host = await NeoCloudTestHost.StartAsync();
        var first = await host.Client.SubmitAsync(WorkloadApi.Job("train", key: "run-42"));

        var problem = await host.Client.SubmitAsync(WorkloadApi.Job("train", key: "run-42", gpus: 2), HttpStatusCode.Conflict);

        Assert.Equal("https://neocloud.dev/problems/conflict", problem.Text("type"));
        Assert.Equal(first.Text("id"), problem.Text("existing"));
    }

    [Fact]
    public async Task An_invalid_manifest_is_a_400_listing_every_field_error_with_its_line_and_column()
    {
        await using var host = await NeoCloudTestHost.StartAsync();
        const string manifest = """
            apiVersion: neocloud.dev/v1
            kind: Job
            metadata: { name: Train_Bad, tenant: acme }
            spec:
              queue: default
              resources: { gpus: 1.5, cpu: 4, memory: 16 }
              retryBudget: 500
              colour: blue
            """;

        var problem = await host.Client.SubmitAsync(manifest, HttpStatusCode.BadRequest);

        Assert.Equal("https://neocloud.dev/problems/invalid-request", problem.Text("type"));
        var errors = problem["errors"]!.AsObject();
        Assert.Equal(["metadata.name", "spec.colour", "spec.resources.gpus", "spec.retryBudget"], errors.Select(e => e.Key).Order(StringComparer.Ordinal));
        Assert.StartsWith("line 3, column ", errors["metadata.name"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.StartsWith("line 6, column ", errors["spec.resources.gpus"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("1.5", errors["spec.resources.gpus"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.StartsWith("line 7, column 16", errors["spec.retryBudget"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.StartsWith("line 8, column 3", errors["spec.colour"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty((await host.Workloads.ListAsync(new() { Limit = 10 }, default)).Items);
    }

    [Fact]
    public async Task A_job_for_an_unknown_queue_is_a_422_and_nothing_is_stored()
    {
        await using var host = await NeoCloudTestHost.StartAsync();

        var problem = await host.Client.SubmitAsync(WorkloadApi.Job("train", queue: "nowhere"), (HttpStatusCode)422);

        Assert.Equal("https://neocloud.dev/problems/unprocessable", problem.Text("type"));
        Assert.Contains("'nowhere'", problem.Text("detail"), StringComparison.Ordinal);
        Assert.Empty((await host.Client.GetJsonAsync("/api/v1/jobs"))["items"]!.AsArray());
    }

    [Fact]
    public async Task A_job_with_a_priority_class_its_queue_does_not_allow_is_a_422_and_nothing_is_stored()
    {
        await using var host = await NeoCloudTestHost.StartAsync();
        await host.Client.ApplyQueuesAsync("""
            apiVersion: neocloud.dev/v1
            kind: Queue
            metadata: { name: batch }
            spec:
              tenant: acme
              priorityClasses: [low]
              quotas: [{ flavour: h100-sxm5-80gb, nominal: 8 }]
            """);

        var problem = await host.Client.SubmitAsync(WorkloadApi.Job("train", queue: "batch", priority: "high"), (HttpStatusCode)422);

        Assert.Contains("high", problem.Text("detail"), StringComparison.Ordinal);
        Assert.Empty((await host.Client.GetJsonAsync("/api/v1/jobs"))["items"]!.AsArray());
        var allowed = await host.Client.SubmitAsync(WorkloadApi.Job("train", queue: "batch", priority: "low"));
        await host.Client.WaitForStateAsync(allowed.Text("id"), "succeeded");
    }

    [Fact]
    public async Task Jobs_are_listed_by_tenant_queue_state_and_name_a_page_at_a_time_and_a_bad_state_is_a_400()
    {
        await using var host = await NeoCloudTestHost.StartAsync();
        var a = await host.Client.SubmitAsync(WorkloadApi.Job("alpha", tenant: "acme", work: "05:00:00"));
        var b = await host.Client.SubmitAsync(WorkloadApi.Job("beta", tenant: "acme", work: "05:00:00"));
        var c = await host.Client.SubmitAsync(WorkloadApi.Job("gamma", tenant: "globex", work: "05:00:00"));
        await host.Client.CancelAsync(b.Text("id"));

        var acme = await host.Client.GetJsonAsync("/api/v1/jobs?tenant=acme");
        var byName = await host.Client.GetJsonAsync("/api/v1/jobs?name=gamma");
        var cancelled = await host.Client.GetJsonAsync("/api/v1/jobs?state=cancelled");
        var live = await host.Client.GetJsonAsync("/api/v1/jobs?state=pending,admitted,placed,running&queue=default");
        var none = await host.Client.GetJsonAsync("/api/v1/jobs?queue=other");

        Assert.Equal([a.Text("id"), b.Text("id")], acme["items"].Strings("id"));
        Assert.Equal([c.Text("id")], byName["items"].Strings("id"));
        Assert.Equal([b.Text("id")], cancelled["items"].Strings("id"));
        Assert.Equal([a.Text("id"), c.Text("id")], live["items"].Strings("id"));
        Assert.Empty(none["items"]!.AsArray());

        var page1 = await host.Client.GetJsonAsync("/api/v1/jobs?limit=2");
        var page2 = await host.Client.GetJsonAsync($"/api/v1/jobs?limit=2&cursor={Uri.EscapeDataString(page1.Text("nextCursor"))}");
        Assert.Equal([a.Text("id"), b.Text("id")], page1["items"].Strings("id"));
        Assert.Equal([c.Text("id")], page2["items"].Strings("id"));
        Assert.Null(page2["nextCursor"]);

        var problem = await host.Client.GetJsonAsync("/api/v1/jobs?state=running,sleeping", HttpStatusCode.BadRequest);
        string error = problem["errors"]!["state"]![0]!.GetValue<string>();
        Assert.Contains("'sleeping'", error, StringComparison.Ordinal);
        Assert.Contains("infra-failed", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cancelled_job_is_cancelled_with_an_event_naming_who_cancelled_it_and_cancelling_again_changes_nothing()
    {
        await using var host = await NeoCloudTestHost.StartAsync();
        var job = await host.Client.SubmitAsync(WorkloadApi.Job("train", work: "05:00:00"));
        string id = job.Text("id");
        await host.Client.WaitForStateAsync(id, "running");

        var cancelled = await host.Client.CancelAsync(id, new { reason = "wrong data set", actor = "person:bob" });
        var again = await host.Client.CancelAsync(id, new { reason = "again", actor = "person:carol" });

        Assert.Equal(("cancelled", "wrong data set"), (cancelled.Text("state"), cancelled.Text("lastReason")));
        Assert.Equal(cancelled["version"]!.GetValue<long>(), again["version"]!.GetValue<long>());
        var events = (await host.Client.GetJsonAsync($"/api/v1/jobs/{id}/events"))["items"]!.AsArray();
        var last = events[^1]!;
        Assert.Equal(("running", "cancelled", "person:bob", "wrong data set"), (last.Text("from"), last.Text("to"), last.Text("actor"), last.Text("reason")));
        Assert.Single(events, e => e!.Text("to") == "cancelled");
        Assert.Empty((await host.Client.GetJsonAsync($"/api/v1/jobs/{id}"))["placement"]!.AsArray());
    }

    [Fact]
    public async Task A_json_job_is_accepted_like_yaml()
    {
        await using var host = await NeoCloudTestHost.StartAsync();
        const string json = """
            {
              "apiVersion": "neocloud.dev/v1",
              "kind": "Job",
              "metadata": { "name": "train", "tenant": "acme" },
              "spec": { "queue": "default", "resources": { "gpus": 2, "cpu": 4, "memory": 16 }, "run": { "env": { "twin.work": "00:01:00" } } }
            }
            """;
        using var response = await host.Client.PostAsync(
            new Uri("/api/v1/jobs", UriKind.Relative), new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        var job = await ApiJson.ReadAsync(response, HttpStatusCode.Created);

        Assert.Equal("train", job.Text("name"));
        await host.Client.WaitForStateAsync(job.Text("id"), "succeeded");
    }

    [Fact]
    public async Task A_pending_job_shows_its_estimated_start_and_a_cancel_without_a_body_is_accepted()
    {
        await using var host = await NeoCloudTestHost.StartAsync();

        // Every GPU of the fleet (12 H100 and 8 L40S nodes of 8) taken for five hours: the next job waits and has an estimate.
        // (The estimate counts the cluster's GPUs whatever their model, so a free L40S would make an H100 job look startable now.)
        var first = await host.Client.SubmitAsync(WorkloadApi.Job("first", work: "05:00:00", extra: "  replicas: 12\n  runtimeEstimate: 5h\n").Replace("gpus: 1,", "gpus: 8, gpuTypes: [h100],", StringComparison.Ordinal));
        var rest = await host.Client.SubmitAsync(WorkloadApi.Job("rest", work: "05:00:00", extra: "  replicas: 8\n  runtimeEstimate: 5h\n").Replace("gpus: 1,", "gpus: 8, gpuTypes: [l40s],", StringComparison.Ordinal));
        await host.Client.WaitForStateAsync(first.Text("id"), "running");
        await host.Client.WaitForStateAsync(rest.Text("id"), "running");
        var second = await host.Client.SubmitAsync(WorkloadApi.Job("second", work: "00:10:00").Replace("gpus: 1,", "gpus: 8, gpuTypes: [h100],", StringComparison.Ordinal));
        await Task.Delay(1500);

        var waiting = await host.Client.GetJsonAsync($"/api/v1/jobs/{second.Text("id")}");
        Assert.Equal("pending", waiting.Text("state"));
        var estimate = waiting["estimatedStart"]!.GetValue<DateTimeOffset>();
        var started = (await host.Client.GetJsonAsync($"/api/v1/jobs/{first.Text("id")}"))["startedAt"]!.GetValue<DateTimeOffset>();
        Assert.True(estimate >= started + TimeSpan.FromHours(4), $"estimated {estimate:O}, the first job started {started:O} for five hours");

        using var response = await host.Client.PostAsync(new Uri($"/api/v1/jobs/{second.Text("id")}/cancel", UriKind.Relative), null);
        var cancelled = await ApiJson.ReadAsync(response, HttpStatusCode.OK);
        Assert.Equal("cancelled", cancelled.Text("state"));
        Assert.Equal("person:anonymous", (await host.Workloads.ListEventsAsync(new Kernel.Ids.JobId(second.Text("id")), default))[^1].Actor);
    }

    [Fact]
    public async Task Cancelling_an_unknown_job_is_a_404()
    {
        await using var host = await NeoCloudTestHost.StartAsync();

        var problem = await host.Client.PostJsonAsync("/api/v1/jobs/job-nope/cancel", new { }, HttpStatusCode.NotFound);

        Assert.Contains("job-nope", problem.Text("detail"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_events_long_poll_returns_the_changes_after_a_sequence_and_says_when_the_job_is_final()
    {
        await using var host = await NeoCloudTestHost.StartAsync();
        var job = await host.Client.SubmitAsync(WorkloadApi.Job("train", work: "05:00:00"));
        string id = job.Text("id");
        await host.Client.WaitForStateAsync(id, "running");
        var sofar = await host.Client.GetJsonAsync($"/api/v1/jobs/{id}/events");
        var items = sofar["items"]!.AsArray();
        Assert.Equal(["pending", "admitted", "placed", "running"], items.Strings("to"));
        Assert.False(sofar["final"]!.GetValue<bool>());
        long last = items[^1]!["sequence"]!.GetValue<long>();

        var quiet = await host.Client.GetJsonAsync($"/api/v1/jobs/{id}/events?after={last}&waitSeconds=1");
        Assert.Empty(quiet["items"]!.AsArray());

        var watch = host.Client.GetJsonAsync($"/api/v1/jobs/{id}/events?after={last}&waitSeconds=20");
        await Task.Delay(300);
        Assert.False(watch.IsCompleted, "the watch should wait for a change");
        await host.Client.CancelAsync(id, new { actor = "person:bob" });
        var changed = await watch.WaitAsync(WorkloadApi.Patience);

        var change = Assert.Single(changed["items"]!.AsArray())!;
        Assert.Equal(("cancelled", "person:bob"), (change.Text("to"), change.Text("actor")));
        Assert.True(changed["final"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_job_runs_to_success_on_the_twin_and_the_metrics_show_the_job_flow_and_the_scheduler()
    {
        await using var host = await NeoCloudTestHost.StartAsync();
        var job = await host.Client.SubmitAsync(WorkloadApi.Job("train", gpus: 2, work: "00:02:00"));

        var done = await host.Client.WaitForStateAsync(job.Text("id"), "succeeded");
        string metrics = await host.Client.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        Assert.NotNull(done["checkpointProgress"]);
        Assert.NotNull(done["finishedAt"]);
        Assert.Equal(1, done["attempt"]!.GetValue<int>());
        Assert.Contains("neocloud_workloads_jobs_submitted_total", metrics, StringComparison.Ordinal);
        Assert.Matches(@"neocloud_workloads_jobs_submitted_total\{[^}]*queue=""default""[^}]*\} 1", metrics);
        Assert.Matches(@"(?m)^neocloud_scheduling_\w+", metrics);
    }

    [Fact]
    public async Task Every_state_change_of_a_job_reaches_the_audit_log()
    {
        await using var host = await NeoCloudTestHost.StartAsync();
        var job = await host.Client.SubmitAsync(WorkloadApi.Job("train", work: "00:01:00"), actor: "person:alice");
        string id = job.Text("id");
        await host.Client.WaitForStateAsync(id, "succeeded");

        var deadline = DateTime.UtcNow + WorkloadApi.Patience;
        while (host.Audit.Records.Count(r => r.Target == id) < 5 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        var records = host.Audit.Records.Where(r => r.Target == id).ToList();
        Assert.Equal(["job.submit", "job.admit", "job.place", "job.start", "job.succeed"], records.Select(r => r.Action));
        Assert.Equal("person:alice", records[0].Actor.ToString());
        Assert.Equal(["pending", "admitted", "placed", "running", "succeeded"], records.Select(r => r.After));
    }
}
