using System.CommandLine;
using System.Text.Json;
using NeoCloud.Cli.Api;
using NeoCloud.Cli.Output;

namespace NeoCloud.Cli.Commands;

/// <summary>
/// <c>neoctl incidents list|describe ID|ack ID|resolve ID --note N [--root-cause R]|summary ID</c> and <c>neoctl alerts</c>:
/// the incidents the reliability loop opened from alerts, and the alerts firing now.
/// </summary>
internal static class IncidentCommands
{
    private const string Api = "/api/v1/incidents";

    private static readonly Column[] IncidentColumns =
        [new("ID", "id"), new("SEVERITY", "severity"), new("STATUS", "status"), new("LOB", "lineOfBusiness"), new("OPENED", "openedAt"), new("TITLE", "title")];

    private static readonly Column[] TimelineColumns = [new("AT", "at"), new("EVENT", "kind"), new("ACTOR", "actor"), new("NOTE", "note")];

    private static readonly Column[] AlertColumns =
        [new("FINGERPRINT", "fingerprint"), new("NAME", "name"), new("SEVERITY", "severity"), new("STARTS", "startsAt"), new("INCIDENT", "incident"), new("MUTED", "muted"), new("NODE", "labels.node")];

    private static readonly string[] IncidentFields =
        ["id", "title", "severity", "status", "lineOfBusiness", "onset", "openedAt", "acknowledgedAt", "mitigatedAt", "resolvedAt", "probableRootCause",
         "affectedTenants", "affectedSlos", "affectedNodes", "findingIds", "remediationRunIds"];

    public static Command Create(CliSession session)
    {
        var incidents = new Command("incidents", "Incidents: alerts grouped by root cause, with a timeline from opened to resolved.");
        incidents.Subcommands.Add(List(session));
        incidents.Subcommands.Add(Describe(session));
        incidents.Subcommands.Add(Acknowledge(session));
        incidents.Subcommands.Add(Resolve(session));
        incidents.Subcommands.Add(Summary(session));
        return incidents;
    }

    public static Command Alerts(CliSession session)
    {
        var all = new Option<bool>("--all") { Description = "Also alerts that ended recently." };
        var command = new Command("alerts", "Alerts firing now, with their incident and whether a silence or inhibition mutes them.") { all };
        command.SetAction((parse, cancellationToken) => session.RunAsync(parse, async (client, renderer, ct) =>
        {
            var page = await client.GetAsync("/api/v1/alerts" + (parse.GetValue(all) ? "?all=true" : ""), ct);
            renderer.List([.. page.GetProperty("items").EnumerateArray()], AlertColumns);
        }, cancellationToken));
        return command;
    }

    private static Command List(CliSession session)
    {
        var status = new Option<string?>("--status") { Description = "open, acknowledged, mitigated or resolved." };
        var severity = new Option<string?>("--severity") { Description = "sev1, sev2, sev3 or sev4." };
        var lob = new Option<string?>("--line-of-business") { Description = "Only incidents of this line of business." };
        var since = new Option<string?>("--since") { Description = "Only incidents opened at or after this time (ISO 8601)." };
        var limit = new Option<int?>("--limit") { Description = "List at most this many (default: all)." };
        limit.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is < 1)
            {
                result.AddError("--limit must be at least 1.");
            }
        });
        var command = new Command("list", "Incidents, newest first.") { status, severity, lob, since, limit };
        command.Aliases.Add("ls");
        command.SetAction((parse, cancellationToken) => session.RunAsync(parse, async (client, renderer, ct) =>
        {
            var items = await client.ListAsync(
                Api,
                [new("status", parse.GetValue(status)), new("severity", parse.GetValue(severity)), new("lineOfBusiness", parse.GetValue(lob)), new("since", parse.GetValue(since))],
                true, parse.GetValue(limit), ct);
            renderer.List(items, IncidentColumns);
        }, cancellationToken));
        return command;
    }

    private static Command Describe(CliSession session)
    {
        var id = new Argument<string>("id") { Description = "The incident id (INC-0001)." };
        var command = new Command("describe", "An incident: severity, status, root cause, who is affected, its timeline and its alerts.") { id };
        command.SetAction((parse, cancellationToken) => session.RunAsync(parse, async (client, renderer, ct) =>
        {
            var details = await client.GetAsync($"{Api}/{Uri.EscapeDataString(parse.GetValue(id)!)}", ct);
            if (renderer.Format != OutputFormat.Table)
            {
                renderer.Document(details);
                return;
            }

            var incident = details.GetProperty("incident");
            foreach (string field in IncidentFields)
            {
                renderer.Line($"{field + ":",-20}{Renderer.Text(incident, field)}");
            }

            renderer.Section("Timeline", [.. incident.GetProperty("timeline").EnumerateArray()], TimelineColumns);
            renderer.Section("Alerts", [.. details.GetProperty("alerts").EnumerateArray()], AlertColumns);
        }, cancellationToken));
        return command;
    }

    private static Command Acknowledge(CliSession session)
    {
        var id = new Argument<string>("id") { Description = "The incident id." };
        var note = new Option<string?>("--note") { Description = "What you are doing about it." };
        var actor = new Option<string?>("--actor") { Description = "Who acknowledges, as kind:name." };
        var command = new Command("ack", "Take the incident: escalation stops paging.") { id, note, actor };
        command.Aliases.Add("acknowledge");
        command.SetAction((parse, cancellationToken) => session.RunAsync(parse, async (client, renderer, ct) =>
        {
            string incidentId = parse.GetValue(id)!;
            var incident = await client.PostAsync($"{Api}/{Uri.EscapeDataString(incidentId)}/ack", new { note = parse.GetValue(note), actor = parse.GetValue(actor) }, ct);
            Done(renderer, incident, $"incident/{incidentId} {Renderer.Text(incident, "status")}");
        }, cancellationToken));
        return command;
    }

    private static Command Resolve(CliSession session)
    {
        var id = new Argument<string>("id") { Description = "The incident id." };
        var note = new Option<string>("--note") { Description = "What fixed it: recorded in the timeline and the audit log.", Required = true };
        var rootCause = new Option<string?>("--root-cause") { Description = "The root cause found; replaces the probable one." };
        var actor = new Option<string?>("--actor") { Description = "Who resolves, as kind:name." };
        var command = new Command("resolve", "Close the incident: the cause is fixed.") { id, note, rootCause, actor };
        command.SetAction((parse, cancellationToken) => session.RunAsync(parse, async (client, renderer, ct) =>
        {
            string incidentId = parse.GetValue(id)!;
            var incident = await client.PostAsync(
                $"{Api}/{Uri.EscapeDataString(incidentId)}/resolve", new { note = parse.GetValue(note), rootCause = parse.GetValue(rootCause), actor = parse.GetValue(actor) }, ct);
            Done(renderer, incident, $"incident/{incidentId} {Renderer.Text(incident, "status")}");
        }, cancellationToken));
        return command;
    }

    private static Command Summary(CliSession session)
    {
        var id = new Argument<string>("id") { Description = "The incident id." };
        var command = new Command("summary", "The post-incident summary, in Markdown.") { id };
        command.SetAction((parse, cancellationToken) => session.RunAsync(parse, async (client, renderer, ct) =>
            renderer.Line(await client.GetTextAsync($"{Api}/{Uri.EscapeDataString(parse.GetValue(id)!)}/summary", ct)), cancellationToken));
        return command;
    }

    private static void Done(Renderer renderer, JsonElement incident, string line)
    {
        if (renderer.Format == OutputFormat.Table)
        {
            renderer.Line(line);
        }
        else
        {
            renderer.Document(incident);
        }
    }
}
