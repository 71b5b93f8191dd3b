using System.CommandLine;
using System.Text.Json;
using NeoCloud.Cli.Api;
using NeoCloud.Cli.Output;

namespace NeoCloud.Cli.Commands;

/// <summary>
/// <c>neoctl health</c>: the summary (findings by code, active remediations by step, breakers, pages, detection delay and
/// time to return), and the verbs <c>findings</c>, <c>remediations</c>, <c>describe ID</c>, <c>approve ID</c>, <c>cancel ID --reason R</c>.
/// </summary>
internal static class HealthCommands
{
    private const string Api = "/api/v1/health";

    private static readonly Column[] FindingColumns =
        [new("ID", "id"), new("CODE", "code"), new("SEVERITY", "severity"), new("FATAL", "fatal"), new("COMPONENT", "component.id"), new("FIRST SEEN", "firstSeenAt"), new("DETECTED", "detectedAt"), new("SUMMARY", "summary")];

    private static readonly Column[] RunColumns =
        [new("ID", "id"), new("TARGET", "target.id"), new("STEP", "step"), new("ACTION", "action"), new("RUNG", "rung"), new("DRY RUN", "dryRun"), new("CREATED", "createdAt"), new("REASON", "reason")];

    private static readonly Column[] HistoryColumns = [new("AT", "at"), new("STEP", "step"), new("WHAT", "what"), new("DETAIL", "detail")];

    private static readonly Column[] CountColumns = [new("NAME", "name"), new("COUNT", "count")];

    private static readonly Column[] PageColumns = [new("AT", "at"), new("SEVERITY", "severity"), new("SOURCE", "source"), new("SUMMARY", "summary")];

    private static readonly string[] RunFields =
        ["id", "diagnosisId", "target.kind", "target.id", "nodes", "gpus", "step", "action", "rung", "ladder", "drainMode", "dryRun", "requiresApproval", "approvedBy", "reason", "createdAt", "stepStartedAt", "finishedAt", "gpuHoursLost"];

    public static Command Create(CliSession session)
    {
        var health = new Command("health", "Fault detection and self-healing: a summary, findings and remediation runs.");
        health.SetAction((parse, cancellationToken) => session.RunAsync(parse, async (client, renderer, ct) =>
            Summary(await client.GetAsync($"{Api}/summary", ct), renderer), cancellationToken));
        health.Subcommands.Add(Findings(session));
        health.Subcommands.Add(Remediations(session));
        health.Subcommands.Add(Describe(session));
        health.Subcommands.Add(Approve(session));
        health.Subcommands.Add(Cancel(session));
        return health;
    }

    private static void Summary(JsonElement summary, Renderer renderer)
    {
        if (renderer.Format != OutputFormat.Table)
        {
            renderer.Document(summary);
            return;
        }

        bool running = summary.TryGetProperty("running", out var r) && r.ValueKind == JsonValueKind.True;
        renderer.Line($"{"Health:",-22}{(running ? "running" : "off: " + Renderer.Text(summary, "unavailable"))}");
        renderer.Line($"{"Since:",-22}{Renderer.Text(summary, "since")}");
        renderer.Line($"{"Detection delay:",-22}{Percentiles(summary, "detectionDelaySeconds")}");
        renderer.Line($"{"Time to return:",-22}{Percentiles(summary, "timeToReturnSeconds")}");
        string breakers = Renderer.Text(summary, "openBreakers");
        renderer.Line($"{"Open breakers:",-22}{(breakers.Length == 0 ? "none" : breakers)}");
        renderer.Section("Findings by code", Counts(summary, "findingsByCode"), CountColumns);
        renderer.Section("Active remediations by step", Counts(summary, "activeRunsByStep"), CountColumns);
        renderer.Section("Recent pages", [.. summary.GetProperty("recentPages").EnumerateArray()], PageColumns);
    }

    private static string Percentiles(JsonElement summary, string property)
    {
        var p = summary.GetProperty(property);
        string count = Renderer.Text(p, "count");
        return count == "0" ? "no samples" : $"p50 {Renderer.Text(p, "p50")} s, p95 {Renderer.Text(p, "p95")} s ({count} samples)";
    }

    private static List<JsonElement> Counts(JsonElement summary, string property) =>
        [.. summary.GetProperty(property).EnumerateObject().Select(p => JsonSerializer.SerializeToElement(new { name = p.Name, count = p.Value.GetInt32() }))];

    private static Command Findings(CliSession session)
    {
        var node = new Option<string?>("--node") { Description = "Only findings on this node." };
        var code = new Option<string?>("--code") { Description = "Only findings of this fault code (XID-79, ECC-DBE, ...)." };
        var since = new Option<string?>("--since") { Description = "Only findings detected at or after this time (ISO 8601)." };
        var limit = Limit();
        var command = new Command("findings", "Findings, newest first.") { node, code, since, limit };
        command.SetAction((parse, cancellationToken) => session.RunAsync(parse, async (client, renderer, ct) =>
        {
            var items = await client.ListAsync($"{Api}/findings", [new("node", parse.GetValue(node)), new("code", parse.GetValue(code)), new("since", parse.GetValue(since))], true, parse.GetValue(limit), ct);
            renderer.List(items, FindingColumns);
        }, cancellationToken));
        return command;
    }

    private static Command Remediations(CliSession session)
    {
        var active = new Option<bool>("--active") { Description = "Only unfinished runs." };
        var node = new Option<string?>("--node") { Description = "Only runs fencing this node (or one of its GPUs)." };
        var limit = Limit();
        var command = new Command("remediations", "Remediation runs, newest first.") { active, node, limit };
        command.Aliases.Add("runs");
        command.SetAction((parse, cancellationToken) => session.RunAsync(parse, async (client, renderer, ct) =>
        {
            var items = await client.ListAsync($"{Api}/remediations", [new("active", parse.GetValue(active) ? "true" : null), new("node", parse.GetValue(node))], true, parse.GetValue(limit), ct);
            renderer.List(items, RunColumns);
        }, cancellationToken));
        return command;
    }

    private static Command Describe(CliSession session)
    {
        var id = new Argument<string>("id") { Description = "The remediation run id (rem-…)." };
        var command = new Command("describe", "A remediation run: its target, step, ladder and history.") { id };
        command.SetAction((parse, cancellationToken) => session.RunAsync(parse, async (client, renderer, ct) =>
        {
            var run = await client.GetAsync($"{Api}/remediations/{Uri.EscapeDataString(parse.GetValue(id)!)}", ct);
            if (renderer.Format != OutputFormat.Table)
            {
                renderer.Document(run);
                return;
            }

            foreach (string field in RunFields)
            {
                renderer.Line($"{field + ":",-20}{Renderer.Text(run, field)}");
            }

            renderer.Section("History", [.. run.GetProperty("history").EnumerateArray()], HistoryColumns);
        }, cancellationToken));
        return command;
    }

    private static Command Approve(CliSession session)
    {
        var id = new Argument<string>("id") { Description = "The remediation run id." };
        var actor = new Option<string?>("--actor") { Description = "Who approves, as kind:name." };
        var command = new Command("approve", "Approve a run that waits for a person (a destructive action).") { id, actor };
        command.SetAction((parse, cancellationToken) => session.RunAsync(parse, async (client, renderer, ct) =>
        {
            string runId = parse.GetValue(id)!;
            var run = await client.PostAsync($"{Api}/remediations/{Uri.EscapeDataString(runId)}/approve", new { actor = parse.GetValue(actor) }, ct);
            Done(renderer, run, $"remediation/{runId} approved (step: {Renderer.Text(run, "step")})");
        }, cancellationToken));
        return command;
    }

    private static Command Cancel(CliSession session)
    {
        var id = new Argument<string>("id") { Description = "The remediation run id." };
        var reason = new Option<string>("--reason") { Description = "Why: recorded in the run's history and the audit log.", Required = true };
        var actor = new Option<string?>("--actor") { Description = "Who cancels, as kind:name." };
        var command = new Command("cancel", "Cancel a remediation run.") { id, reason, actor };
        command.SetAction((parse, cancellationToken) => session.RunAsync(parse, async (client, renderer, ct) =>
        {
            string runId = parse.GetValue(id)!;
            var run = await client.PostAsync($"{Api}/remediations/{Uri.EscapeDataString(runId)}/cancel", new { reason = parse.GetValue(reason), actor = parse.GetValue(actor) }, ct);
            Done(renderer, run, $"remediation/{runId} {Renderer.Text(run, "step")}");
        }, cancellationToken));
        return command;
    }

    private static void Done(Renderer renderer, JsonElement run, string line)
    {
        if (renderer.Format == OutputFormat.Table)
        {
            renderer.Line(line);
        }
        else
        {
            renderer.Document(run);
        }
    }

    private static Option<int?> Limit()
    {
        var limit = new Option<int?>("--limit") { Description = "List at most this many (default: all)." };
        limit.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is < 1)
            {
                result.AddError("--limit must be at least 1.");
            }
        });
        return limit;
    }
}
