using System.Text.Json;
using NeoCloud.Server.Tests.Fakes;

namespace NeoCloud.Cli.Tests.Commands;

public sealed class JobCommandTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly string _directory = Directory.CreateTempSubdirectory("neoctl-jobs-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Submit_prints_the_new_job_and_submitting_again_with_its_key_says_it_is_unchanged()
    {
        await using var host = await NeoCloudTestHost.StartAsync();
        string file = Write("job.yaml", Job("train", work: "05:00:00", key: "run-42"));

        var first = await Neoctl.RunAsync(host, "submit", "-f", file);
        var again = await Neoctl.RunAsync(host, "submit", "-f", file);

        Assert.Equal(0, first.ExitCode);
        Assert.Matches(@"^job/job-[0-9A-Z]{26} submitted \(state: \w+, estimated start: .*\)\s*$", first.Out);
        Assert.Equal(0, again.ExitCode);
        Assert.Contains("unchanged (same idempotency key)", again.Out, StringComparison.Ordinal);
        Assert.Equal(IdOf(first.Out), IdOf(again.Out));
    }

    [Fact]
    public async Task Submit_of_an_invalid_manifest_exits_with_the_usage_code_and_prints_every_field_error()
    {
        await using var host = await NeoCloudTestHost.StartAsync();
        string file = Write("bad.yaml", """
            apiVersion: neocloud.dev/v1
            kind: Job
            metadata: { name: train, tenant: acme }
            spec:
              queue: default
              resources: { gpus: 1.5, cpu: 4, memory: 16 }
              colour: blue
            """);

        var run = await Neoctl.RunAsync(host, "submit", "-f", file);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("spec.resources.gpus", run.Error, StringComparison.Ordinal);
        Assert.Contains("line 6", run.Error, StringComparison.Ordinal);
        Assert.Contains("colour", run.Error, StringComparison.Ordinal);
        Assert.Equal("", run.Out);
    }

    [Fact]
    public async Task Submit_of_a_file_that_does_not_exist_is_a_usage_error_naming_the_file()
    {
        await using var host = await NeoCloudTestHost.StartAsync();
        string missing = Path.Combine(_directory, "nope.yaml");

        var run = await Neoctl.RunAsync(host, "submit", "-f", missing);
        var apply = await Neoctl.RunAsync(host, "apply", "-f", missing);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains($"{missing}: no such file", run.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, apply.ExitCode);
        Assert.Contains("no such file", apply.Error, StringComparison.Ordinal);
        Assert.Empty((await host.Workloads.ListAsync(new() { Limit = 10 }, default)).Items);
    }

    [Fact]
    public async Task Get_jobs_lists_the_submitted_jobs_with_filters_as_a_table_and_as_json()
    {
        await using var host = await NeoCloudTestHost.StartAsync();
        string a = IdOf((await Neoctl.RunAsync(host, "submit", "-f", Write("a.yaml", Job("alpha", tenant: "acme", work: "05:00:00")))).Out);
        string b = IdOf((await Neoctl.RunAsync(host, "submit", "-f", Write("b.yaml", Job("beta", tenant: "globex", work: "05:00:00")))).Out);

        var table = await Neoctl.RunAsync(host, "get", "jobs");
        var acme = await Neoctl.RunAsync(host, "get", "jobs", "--tenant", "acme", "-o", "json");

        Assert.Equal(0, table.ExitCode);
        var lines = table.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("NAME", lines[0], StringComparison.Ordinal);
        Assert.Contains("ESTIMATED START", lines[0], StringComparison.Ordinal);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith(a, lines[1], StringComparison.Ordinal);
        Assert.Contains("alpha", lines[1], StringComparison.Ordinal);
        Assert.StartsWith(b, lines[2], StringComparison.Ordinal);
        using var json = JsonDocument.Parse(acme.Out);
        Assert.Equal([a], json.RootElement.EnumerateArray().Select(j => j.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task Describe_job_shows_its_fields_placement_and_events()
    {
        await using var host = await NeoCloudTestHost.StartAsync();
        string id = IdOf((await Neoctl.RunAsync(host, "submit", "-f", Write("job.yaml", Job("train", work: "05:00:00")))).Out);
        await WaitForAsync(host, id, "running");

        var run = await Neoctl.RunAsync(host, "describe", "job", id);

        Assert.Equal(0, run.ExitCode);
        Assert.Matches($@"(?m)^id:\s+{id}\s*$", run.Out);
        Assert.Matches(@"(?m)^state:\s+running\s*$", run.Out);
        Assert.Contains("Placement", run.Out, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^euw1-dc\d-r\d\d-n\d\d\s", run.Out);
        Assert.Contains("Events", run.Out, StringComparison.Ordinal);
        foreach (string state in new[] { "pending", "admitted", "placed", "running" })
        {
            Assert.Contains(state, run.Out, StringComparison.Ordinal);
        }

        var unknown = await Neoctl.RunAsync(host, "describe", "job", "job-nope");
        Assert.Equal(ExitCodes.NotFound, unknown.ExitCode);
    }

    [Fact]
    public async Task Cancel_stops_a_job_and_records_who_cancelled_it_and_why()
    {
        await using var host = await NeoCloudTestHost.StartAsync();
        string id = IdOf((await Neoctl.RunAsync(host, "submit", "-f", Write("job.yaml", Job("train", work: "05:00:00")))).Out);
        await WaitForAsync(host, id, "running");

        var run = await Neoctl.RunAsync(host, "cancel", id, "--reason", "wrong data set", "--actor", "person:bob");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal($"job/{id} cancelled", run.Out.Trim());
        var events = await host.Workloads.ListEventsAsync(new Kernel.Ids.JobId(id), default);
        Assert.Equal(("person:bob", "wrong data set"), (events[^1].Actor, events[^1].Reason));
        Assert.Equal(ExitCodes.NotFound, (await Neoctl.RunAsync(host, "cancel", "job-nope")).ExitCode);
    }

    [Fact]
    public async Task Watch_job_prints_each_state_change_until_the_job_ends()
    {
        await using var host = await NeoCloudTestHost.StartAsync();
        string id = IdOf((await Neoctl.RunAsync(host, "submit", "-f", Write("job.yaml", Job("train", work: "00:01:00")))).Out);

        var run = await Neoctl.RunAsync(host, "watch", "job", id).WaitAsync(Patience);

        Assert.Equal(0, run.ExitCode);
        var lines = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5, lines.Length);
        Assert.Contains("-> pending", lines[0], StringComparison.Ordinal);
        Assert.Contains("-> succeeded", lines[^1], StringComparison.Ordinal);
        Assert.Contains("completed", lines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_job_with_a_timeout_stops_quietly_while_the_job_still_runs()
    {
        await using var host = await NeoCloudTestHost.StartAsync();
        string id = IdOf((await Neoctl.RunAsync(host, "submit", "-f", Write("job.yaml", Job("train", work: "10:00:00")))).Out);
        await WaitForAsync(host, id, "running");

        var run = await Neoctl.RunAsync(host, "watch", "job", id, "--timeout", "1").WaitAsync(Patience);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Error);
        Assert.Contains("-> running", run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("succeeded", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_declares_a_cohort_and_a_queue_that_get_queues_and_get_tenants_then_list()
    {
        await using var host = await NeoCloudTestHost.StartAsync();
        string file = Write("queues.yaml", """
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
              quotas: [{ flavour: h100-sxm5-80gb, nominal: 16 }]
            """);

        var apply = await Neoctl.RunAsync(host, "apply", "-f", file);
        var queues = await Neoctl.RunAsync(host, "get", "queues");
        var tenants = await Neoctl.RunAsync(host, "get", "tenants");
        var json = await Neoctl.RunAsync(host, "get", "queues", "--tenant", "acme", "-o", "json");

        Assert.Equal(0, apply.ExitCode);
        Assert.Equal(["cohort/training applied (version 1)", "queue/research applied (version 1)"], apply.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Matches(@"(?m)^research\s+acme\s+training\s+0\s+0\s", queues.Out);
        Assert.Matches(@"(?m)^default\s+default\s+default\s", queues.Out);
        Assert.Matches(@"(?m)^acme\s+research\s+0\s+0\s*$", tenants.Out);
        using var doc = JsonDocument.Parse(json.Out);
        Assert.Equal(["research"], doc.RootElement.EnumerateArray().Select(q => q.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task Table_cells_holding_lists_print_their_items_not_json()
    {
        await using var host = await NeoCloudTestHost.StartAsync();
        string id = IdOf((await Neoctl.RunAsync(host, "submit", "-f", Write("job.yaml", Job("train", work: "05:00:00", gpus: 2)))).Out);
        await WaitForAsync(host, id, "running");

        var tenants = await Neoctl.RunAsync(host, "get", "tenants");
        var describe = await Neoctl.RunAsync(host, "describe", "job", id);

        Assert.Matches(@"(?m)^default\s+default\s+0\s+1\s*$", tenants.Out);
        Assert.DoesNotContain("[", tenants.Out, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^euw1-dc\d-r\d\d-n\d\d\s+\d,\d\s+1000\s*$", describe.Out);
    }

    [Fact]
    public async Task Apply_of_a_queue_in_an_undeclared_cohort_is_a_usage_error_and_changes_nothing()
    {
        await using var host = await NeoCloudTestHost.StartAsync();
        string file = Write("queue.yaml", """
            apiVersion: neocloud.dev/v1
            kind: Queue
            metadata: { name: research }
            spec:
              tenant: acme
              cohort: nowhere
              quotas: [{ flavour: h100-sxm5-80gb, nominal: 16 }]
            """);

        var run = await Neoctl.RunAsync(host, "apply", "-f", file);
        var queues = await Neoctl.RunAsync(host, "get", "queues", "-o", "json");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("'nowhere'", run.Error, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(queues.Out);
        Assert.Equal(["default"], doc.RootElement.EnumerateArray().Select(q => q.GetProperty("name").GetString()));
    }

    private static string Job(string name, string tenant = "acme", string work = "00:01:00", string? key = null, int gpus = 1) =>
        $$"""
        apiVersion: neocloud.dev/v1
        kind: Job
        metadata: { name: {{name}}, tenant: {{tenant}} }
        spec:
          queue: default
          resources: { gpus: {{gpus}}, cpu: 4, memory: 16 }
          run: { image: registry.example/train:1, env: { "twin.work": "{{work}}" } }
        {{(key is null ? "" : $"  idempotencyKey: {key}\n")}}
        """;

    private static string IdOf(string submitOutput)
    {
        var match = System.Text.RegularExpressions.Regex.Match(submitOutput, @"job/(job-[0-9A-Z]{26})");
        Assert.True(match.Success, $"no job id in: {submitOutput}");
        return match.Groups[1].Value;
    }

    private static async Task WaitForAsync(NeoCloudTestHost host, string id, string state)
    {
        var deadline = DateTime.UtcNow + Patience;
        string last = "";
        while (DateTime.UtcNow < deadline)
        {
            var run = await Neoctl.RunAsync(host, "get", "jobs", "-o", "json");
            using var doc = JsonDocument.Parse(run.Out);
            last = doc.RootElement.EnumerateArray().Single(j => j.GetProperty("id").GetString() == id).GetProperty("state").GetString()!;
            if (last == state)
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"job {id} is still {last}, not {state}, after {Patience}");
    }

    private string Write(string name, string text)
    {
        string path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }
}
