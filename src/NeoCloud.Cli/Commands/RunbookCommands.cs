using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using NeoCloud.Cli.Api;
using NeoCloud.Cli.Output;

namespace NeoCloud.Cli.Commands;

/// <summary>
/// <c>neoctl runbook</c>: <c>list</c>, <c>apply -f FILE</c>, <c>run NAME --param k=v [--dry-run] [--wait]</c>,
/// <c>describe RUN_ID</c>, <c>runs</c>, <c>approve RUN_ID</c>, <c>cancel RUN_ID --reason R</c>.
/// </summary>
internal static class RunbookCommands
{
    private const string Runbooks = "/api/v1/runbooks";
    private const string Runs = "/api/v1/runbook-runs";

    private static readonly Column[] RunbookColumns = [new("NAME", "name"), new("STEPS", "steps"), new("TRIGGERS", "triggers"), new("DESCRIPTION", "description")];

    private static readonly Column[] RunColumns =
        [new("ID", "id"), new("RUNBOOK", "runbook"), new("STATE", "state"), new("STEP", "currentStep"), new("DRY RUN", "dryRun"), new("STARTED BY", "startedBy"), new("CREATED", "createdAt")];

    private static readonly Column[] StepColumns =
        [new("STEP", "name"), new("ACTION", "action"), new("OUTCOME", "outcome"), new("APPROVAL", "approval"), new("APPROVED BY", "approvedBy"), new("STARTED", "startedAt"), new("FINISHED", "finishedAt"), new("OUTPUT", "output")];

    private static readonly Column[] HistoryColumns = [new("AT", "at"), new("ACTOR", "actor"), new("WHAT", "what")];

    private static readonly string[] RunFields = ["id", "runbook", "state", "dryRun", "startedBy", "trigger.kind", "trigger.alertName", "manifestHash", "createdAt", "updatedAt"];

    private static readonly string[] Settled = ["succeeded", "failed", "cancelled", "awaiting-approval"];

    public static Command Create(CliSession session)
    {
        var runbook = new Command("runbook", "Runbooks as code: declared steps over audited actions, with approval gates on destructive ones.");
        runbook.Aliases.Add("runbooks");
        runbook.Subcommands.Add(List(session));
        runbook.Subcommands.Add(Apply(session));
        runbook.Subcommands.Add(Run(session));
        runbook.Subcommands.Add(ListRuns(session));
        runbook.Subcommands.Add(Describe(session));
        runbook.Subcommands.Add(Approve(session));
        runbook.Subcommands.Add(Cancel(session));
        return runbook;
    }

    private static Command List(CliSession session)
    {
        var command = new Command("list", "The declared runbooks.");
        command.SetAction((parse, cancellationToken) => session.RunAsync(parse, async (client, renderer, ct) =>
        {
            var items = await client.ListAsync(Runbooks, [], false, null, ct);
            if (renderer.Format != OutputFormat.Table)
            {
                renderer.List(items, RunbookColumns);
                return;
            }

            // Counts read better in a table than the nested lists.
            renderer.List([.. items.Select(i => JsonSerializer.SerializeToElement(new
            {
                name = Renderer.Text(i, "name"),
                steps = string.Join(" → ", i.GetProperty("steps").EnumerateArray().Select(s => Renderer.Text(s, "action") + (Renderer.Text(s, "approval") == "required" ? "*" : ""))),
                triggers = i.GetProperty("triggers").GetArrayLength(),
                description = Renderer.Text(i, "description"),
            }))], RunbookColumns);
        }, cancellationToken));
        return command;
    }

    private static Command Apply(CliSession session)
    {
        var file = new Option<FileInfo>("--filename", "-f") { Description = "A kind: Runbook manifest (YAML or JSON); - reads stdin.", Required = true };
        var command = new Command("apply", "Declare or replace a runbook from its manifest.") { file };
        command.SetAction((parse, cancellationToken) => session.RunAsync(parse, async (client, renderer, ct) =>
        {
            var info = parse.GetValue(file)!;
            string text = info.Name == "-" ? await Console.In.ReadToEndAsync(ct)
                : info.Exists ? await File.ReadAllTextAsync(info.FullName, ct) : throw new UsageException($"{info.FullName}: no such file");
            string name = ManifestName(text) ?? throw new UsageException($"{info.Name}: no metadata.name found; is it a kind: Runbook manifest?");
            var result = await client.SendManifestAsync(HttpMethod.Put, $"{Runbooks}/{Uri.EscapeDataString(name)}", text, ct);
            Done(renderer, result, $"runbook/{name} applied ({result.GetProperty("steps").GetArrayLength()} steps)");
        }, cancellationToken));
        return command;
    }

    private static Command Run(CliSession session)
    {
        var name = new Argument<string>("name") { Description = "The runbook to run." };
        var parameters = new Option<string[]>("--param", "-p") { Description = "A parameter as name=value; repeat for more.", AllowMultipleArgumentsPerToken = false };
        var dryRun = new Option<bool>("--dry-run") { Description = "Say what each step would do; change nothing, wait for no approval." };
        var wait = new Option<bool>("--wait") { Description = "Follow the run, printing each step, until it ends or waits for approval." };
        var interval = new Option<double>("--interval") { Description = "Seconds between polls with --wait.", DefaultValueFactory = _ => 1.0 };
        var actor = new Option<string?>("--actor") { Description = "Who starts it, as kind:name (until bearer tokens)." };
        var command = new Command("run", "Start a run of a runbook.") { name, parameters, dryRun, wait, interval, actor };
        command.SetAction((parse, cancellationToken) => session.RunAsync(parse, async (client, renderer, ct) =>
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (string pair in parse.GetValue(parameters) ?? [])
            {
                int eq = pair.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0)
                {
                    throw new UsageException($"--param '{pair}' must be name=value");
                }

                values[pair[..eq]] = pair[(eq + 1)..];
            }

            string runbook = parse.GetValue(name)!;
            var run = await client.PostAsync($"{Runbooks}/{Uri.EscapeDataString(runbook)}/runs", new { parameters = values, dryRun = parse.GetValue(dryRun), actor = parse.GetValue(actor) }, ct);
            string id = Renderer.Text(run, "id");
            if (!parse.GetValue(wait))
            {
                Done(renderer, run, $"runbook-run/{id} started ({runbook}{(parse.GetValue(dryRun) ? ", dry run" : "")})");
                return;
            }

            if (renderer.Format == OutputFormat.Table)
            {
                renderer.Line($"runbook-run/{id} started ({runbook}{(parse.GetValue(dryRun) ? ", dry run" : "")})");
            }

            await FollowAsync(client, renderer, id, TimeSpan.FromSeconds(Math.Max(0.05, parse.GetValue(interval))), ct);
        }, cancellationToken));
        return command;
    }

    private static async Task FollowAsync(NeoCloudClient client, Renderer renderer, string id, TimeSpan interval, CancellationToken ct)
    {
        var printed = new HashSet<int>();
        while (true)
        {
            var run = await client.GetAsync($"{Runs}/{Uri.EscapeDataString(id)}", ct);
            string state = Renderer.Text(run, "state");
            var steps = run.GetProperty("steps").EnumerateArray().ToList();
            for (int i = 0; i < steps.Count; i++)
            {
                string outcome = Renderer.Text(steps[i], "outcome");
                if (outcome is "pending" or "running" || !printed.Add(i))
                {
                    continue;
                }

                if (renderer.Format == OutputFormat.Table)
                {
                    renderer.Line($"  {i + 1}. {Renderer.Text(steps[i], "name"),-16} {Renderer.Text(steps[i], "action"),-16} {outcome,-18} {FirstLine(Renderer.Text(steps[i], "output"))}");
                }
            }

            if (Settled.Contains(state))
            {
                if (renderer.Format == OutputFormat.Table)
                {
                    renderer.Line(state == "awaiting-approval"
                        ? $"runbook-run/{id} awaits approval of step '{Renderer.Text(steps[run.GetProperty("currentStep").GetInt32()], "name")}': neoctl runbook approve {id}"
                        : $"runbook-run/{id} {state}");
                }
                else
                {
                    renderer.Document(run);
                }

                return;
            }

            await Task.Delay(interval, ct);
        }
    }

    private static Command ListRuns(CliSession session)
    {
        var state = new Option<string?>("--state") { Description = "Only runs in this state (pending, running, awaiting-approval, succeeded, failed, cancelled)." };
        var runbook = new Option<string?>("--runbook") { Description = "Only runs of this runbook." };
        var limit = new Option<int?>("--limit") { Description = "List at most this many (default: all)." };
        var command = new Command("runs", "Runbook runs, newest first.") { state, runbook, limit };
        command.SetAction((parse, cancellationToken) => session.RunAsync(parse, async (client, renderer, ct) =>
        {
            var items = await client.ListAsync(Runs, [new("state", parse.GetValue(state)), new("runbook", parse.GetValue(runbook))], true, parse.GetValue(limit), ct);
            renderer.List(items, RunColumns);
        }, cancellationToken));
        return command;
    }

    private static Command Describe(CliSession session)
    {
        var id = new Argument<string>("id") { Description = "The run id (rbk-…)." };
        var command = new Command("describe", "A run: its parameters, steps with outcomes and approvals, and history.") { id };
        command.SetAction((parse, cancellationToken) => session.RunAsync(parse, async (client, renderer, ct) =>
        {
            var run = await client.GetAsync($"{Runs}/{Uri.EscapeDataString(parse.GetValue(id)!)}", ct);
            if (renderer.Format != OutputFormat.Table)
            {
                renderer.Document(run);
                return;
            }

            foreach (string field in RunFields)
            {
                renderer.Line($"{field + ":",-20}{Renderer.Text(run, field)}");
            }

            renderer.Line($"{"parameters:",-20}{string.Join(", ", run.GetProperty("parameters").EnumerateObject().Select(p => $"{p.Name}={p.Value.GetString()}"))}");
            renderer.Section("Steps", [.. run.GetProperty("steps").EnumerateArray()], StepColumns);
            renderer.Section("History", [.. run.GetProperty("history").EnumerateArray()], HistoryColumns);
        }, cancellationToken));
        return command;
    }

    private static Command Approve(CliSession session)
    {
        var id = new Argument<string>("id") { Description = "The run id." };
        var step = new Option<string?>("--step") { Description = "The step you approve; makes a retried approval safe." };
        var actor = new Option<string?>("--actor") { Description = "Who approves, as kind:name (not whoever started the run)." };
        var command = new Command("approve", "Approve the destructive step a run waits on.") { id, step, actor };
        command.SetAction((parse, cancellationToken) => session.RunAsync(parse, async (client, renderer, ct) =>
        {
            string runId = parse.GetValue(id)!;
            var run = await client.PostAsync($"{Runs}/{Uri.EscapeDataString(runId)}/approve", new { actor = parse.GetValue(actor), step = parse.GetValue(step) }, ct);
            int current = run.GetProperty("currentStep").GetInt32();
            var steps = run.GetProperty("steps");
            string approved = current < steps.GetArrayLength() ? Renderer.Text(steps[current], "name") : "";
            Done(renderer, run, $"runbook-run/{runId} approved (step: {approved})");
        }, cancellationToken));
        return command;
    }

    private static Command Cancel(CliSession session)
    {
        var id = new Argument<string>("id") { Description = "The run id." };
        var reason = new Option<string>("--reason") { Description = "Why: recorded in the run's history and the audit log.", Required = true };
        var actor = new Option<string?>("--actor") { Description = "Who cancels, as kind:name." };
        var command = new Command("cancel", "Cancel a run: no further step starts; one under way is asked to stop.") { id, reason, actor };
        command.SetAction((parse, cancellationToken) => session.RunAsync(parse, async (client, renderer, ct) =>
        {
            string runId = parse.GetValue(id)!;
            var run = await client.PostAsync($"{Runs}/{Uri.EscapeDataString(runId)}/cancel", new { reason = parse.GetValue(reason), actor = parse.GetValue(actor) }, ct);
            Done(renderer, run, $"runbook-run/{runId} {Renderer.Text(run, "state")}");
        }, cancellationToken));
        return command;
    }

    private static void Done(Renderer renderer, JsonElement document, string line)
    {
        if (renderer.Format == OutputFormat.Table)
        {
            renderer.Line(line);
        }
        else
        {
            renderer.Document(document);
        }
    }

    // metadata.name without a YAML parser in the CLI: the server validates the manifest; this only finds where to PUT it.
    private static string? ManifestName(string text)
    {
        string trimmed = text.TrimStart();
        if (trimmed.StartsWith('{'))
        {
            using var json = JsonDocument.Parse(trimmed);
            return json.RootElement.TryGetProperty("metadata", out var m) && m.TryGetProperty("name", out var n) ? n.GetString() : null;
        }

        bool inMetadata = false;
        foreach (string raw in text.Split('\n'))
        {
            string line = raw.TrimEnd('\r');
            if (line.StartsWith("metadata:", StringComparison.Ordinal))
            {
                string rest = line["metadata:".Length..].Trim();
                int at = rest.IndexOf("name:", StringComparison.Ordinal);
                if (rest.StartsWith('{') && at >= 0)
                {
                    return rest[(at + 5)..].Split([',', '}'], 2)[0].Trim().Trim('"', '\'');
                }

                inMetadata = true;
                continue;
            }

            if (inMetadata && line.Length > 0 && !char.IsWhiteSpace(line[0]))
            {
                inMetadata = false;
            }

            if (inMetadata && line.TrimStart().StartsWith("name:", StringComparison.Ordinal))
            {
                return line.TrimStart()["name:".Length..].Trim().Trim('"', '\'');
            }
        }

        return null;
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].TrimEnd('\r');
}
