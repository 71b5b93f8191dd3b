using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using NeoCloud.Cli.Api;
using NeoCloud.Cli.Output;

namespace NeoCloud.Cli.Commands;

/// <summary>
/// The job commands: <c>neoctl submit -f job.yaml</c>, <c>neoctl apply -f queues.yaml</c>, <c>neoctl cancel ID</c>,
/// <c>neoctl describe job ID</c> and <c>neoctl watch job ID</c> (live state changes until the job ends).
/// </summary>
internal static class JobCommands
{
    private static readonly Column[] PlacementColumns = [new("NODE", "node"), new("GPUS", "gpus"), new("MILLI", "gpuMilli")];

    private static readonly Column[] EventColumns =
        [new("SEQ", "sequence"), new("AT", "at"), new("FROM", "from"), new("TO", "to"), new("ATTEMPT", "attempt"), new("ACTOR", "actor"), new("REASON", "reason")];

    private static readonly string[] JobFields =
        ["id", "name", "kind", "tenant", "queue", "state", "attempt", "retriesUsed", "retryBudget", "priorityClass", "submittedAt", "estimatedStart", "startedAt", "finishedAt", "checkpointProgress", "lastReason"];

    public static Command Submit(CliSession session)
    {
        var file = new Option<FileInfo>("--filename", "-f") { Description = "The job or service manifest (YAML or JSON; - reads standard input).", Required = true };
        var command = new Command("submit", "Submit a job or service. Safe to retry when the spec has an idempotencyKey.") { file };
        command.SetAction((parse, cancellationToken) => session.RunAsync(parse, async (client, renderer, ct) =>
        {
            string text = await ReadAsync(parse.GetValue(file)!, ct);
            var job = await client.SendManifestAsync(HttpMethod.Post, "/api/v1/jobs", text, ct);
            if (renderer.Format == OutputFormat.Table)
            {
                renderer.Line($"job/{Renderer.Text(job, "id")} {(job.TryGetProperty("created", out var c) && c.ValueKind == JsonValueKind.False ? "unchanged (same idempotency key)" : "submitted")} (state: {Renderer.Text(job, "state")}, estimated start: {Renderer.Text(job, "estimatedStart")})");
            }
            else
            {
                renderer.Document(job);
            }
        }, cancellationToken));
        return command;
    }

    public static Command Apply(CliSession session)
    {
        var file = new Option<FileInfo>("--filename", "-f") { Description = "Queue and cohort manifests (kind: Queue / Cohort; YAML or JSON; - reads standard input).", Required = true };
        var command = new Command("apply", "Declare or update queues and cohorts.") { file };
        command.SetAction((parse, cancellationToken) => session.RunAsync(parse, async (client, renderer, ct) =>
        {
            string text = await ReadAsync(parse.GetValue(file)!, ct);
            var applied = await client.SendManifestAsync(HttpMethod.Put, "/api/v1/queues", text, ct);
            if (renderer.Format != OutputFormat.Table)
            {
                renderer.Document(applied);
                return;
            }

            foreach (var item in applied.GetProperty("items").EnumerateArray())
            {
                renderer.Line($"{Renderer.Text(item, "kind").ToLowerInvariant()}/{Renderer.Text(item, "name")} applied (version {Renderer.Text(item, "version")})");
            }
        }, cancellationToken));
        return command;
    }

    public static Command Cancel(CliSession session)
    {
        var id = new Argument<string>("id") { Description = "The job id." };
        var reason = new Option<string?>("--reason") { Description = "Why: recorded in the job's events and the audit log." };
        var actor = new Option<string?>("--actor") { Description = "Who, as kind:name." };
        var command = new Command("cancel", "Cancel a job: it leaves its queue, or its running attempt is stopped.") { id, reason, actor };
        command.SetAction((parse, cancellationToken) => session.RunAsync(parse, async (client, renderer, ct) =>
        {
            string jobId = parse.GetValue(id)!;
            var job = await client.PostAsync($"/api/v1/jobs/{Uri.EscapeDataString(jobId)}/cancel", new { reason = parse.GetValue(reason), actor = parse.GetValue(actor) }, ct);
            if (renderer.Format == OutputFormat.Table)
            {
                renderer.Line($"job/{jobId} {Renderer.Text(job, "state")}");
            }
            else
            {
                renderer.Document(job);
            }
        }, cancellationToken));
        return command;
    }

    public static Command DescribeJob(CliSession session)
    {
        var id = new Argument<string>("id") { Description = "The job id." };
        var command = new Command("job", "A job: its state, estimated start, placement and every event.") { id };
        command.Aliases.Add("jobs");
        command.SetAction((parse, cancellationToken) => session.RunAsync(parse, async (client, renderer, ct) =>
        {
            string path = $"/api/v1/jobs/{Uri.EscapeDataString(parse.GetValue(id)!)}";
            var job = await client.GetAsync(path, ct);
            var events = await client.GetAsync(path + "/events", ct);
            if (renderer.Format != OutputFormat.Table)
            {
                renderer.Document(job);
                return;
            }

            foreach (string field in JobFields)
            {
                renderer.Line($"{field + ":",-20}{Renderer.Text(job, field)}");
            }

            renderer.Section("Placement", [.. job.GetProperty("placement").EnumerateArray()], PlacementColumns);
            renderer.Section("Events", [.. events.GetProperty("items").EnumerateArray()], EventColumns);
        }, cancellationToken));
        return command;
    }

    public static Command Watch(CliSession session)
    {
        var id = new Argument<string>("id") { Description = "The job id." };
        var timeout = new Option<int>("--timeout") { Description = "Stop watching after this many seconds (default: until the job ends).", DefaultValueFactory = _ => 0 };
        var job = new Command("job", "Print a job's state changes as they happen, until it ends.") { id, timeout };
        job.SetAction((parse, cancellationToken) => session.RunAsync(parse, async (client, renderer, ct) =>
        {
            string path = $"/api/v1/jobs/{Uri.EscapeDataString(parse.GetValue(id)!)}/events";
            int seconds = parse.GetValue(timeout);
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
            if (seconds > 0)
            {
                limit.CancelAfter(TimeSpan.FromSeconds(seconds));
            }

            long after = 0;
            try
            {
                while (true)
                {
                    var page = await client.GetAsync($"{path}?after={after.ToString(CultureInfo.InvariantCulture)}&waitSeconds=20", limit.Token);
                    foreach (var e in page.GetProperty("items").EnumerateArray())
                    {
                        after = Math.Max(after, e.GetProperty("sequence").GetInt64());
                        if (renderer.Format == OutputFormat.Table)
                        {
                            renderer.Line($"{Renderer.Text(e, "at")}  {Renderer.Text(e, "from"),-12} -> {Renderer.Text(e, "to"),-12} attempt {Renderer.Text(e, "attempt")}  {Renderer.Text(e, "reason")}");
                        }
                        else
                        {
                            renderer.Document(e);
                        }
                    }

                    if (page.TryGetProperty("final", out var final) && final.ValueKind == JsonValueKind.True)
                    {
                        return;
                    }
                }
            }
            catch (OperationCanceledException) when (limit.IsCancellationRequested && !ct.IsCancellationRequested)
            {
                // --timeout elapsed: watching ends quietly, like kubectl's --request-timeout.
            }
        }, cancellationToken));
        var watch = new Command("watch", "Follow a resource live.");
        watch.Subcommands.Add(job);
        return watch;
    }

    internal static async Task<string> ReadAsync(FileInfo file, CancellationToken cancellationToken)
    {
        if (file.Name == "-")
        {
            return await Console.In.ReadToEndAsync(cancellationToken);
        }

        if (!file.Exists)
        {
            throw new UsageException($"{file.FullName}: no such file");
        }

        return await File.ReadAllTextAsync(file.FullName, cancellationToken);
    }
}
