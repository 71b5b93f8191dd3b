using System.CommandLine;
using System.Text.Json;
using NeoCloud.Cli.Api;
using NeoCloud.Cli.Output;

namespace NeoCloud.Cli.Commands;

/// <summary>
/// <c>neoctl slo</c>: <c>list</c> (one row per objective: target, budget left, burn rates, what fires), <c>status NAME</c>
/// (every figure of one SLO), <c>budget [NAME]</c> (budget left, spent and when it runs out, with the error-budget
/// policy's decision for the service), <c>apply -f FILE</c> and <c>delete NAME</c>.
/// </summary>
internal static class SloCommands
{
    private const string Api = "/api/v1/slos";

    private static readonly Column[] ObjectiveColumns =
    [
        new("SLO", "slo"), new("SERVICE", "service"), new("TENANT", "tenant"), new("OBJECTIVE", "objective"), new("TARGET", "target"),
        new("ERROR RATIO", "errorRatio"), new("BUDGET LEFT", "budgetRemaining"), new("BURN 1H", "burnRate1h"), new("BURN 6H", "burnRate6h"),
        new("FIRING", "firing"),
    ];

    private static readonly Column[] BudgetColumns =
    [
        new("SLO", "slo"), new("OBJECTIVE", "objective"), new("BUDGET LEFT", "budgetRemaining"), new("EVENTS", "events"),
        new("EXHAUSTED AT 1H BURN", "exhaustsIn1h"), new("EXHAUSTED AT 6H BURN", "exhaustsIn6h"),
    ];

    private static readonly Column[] WindowColumns =
        [new("WINDOW", "window"), new("BAD", "bad"), new("TOTAL", "total"), new("ERROR RATIO", "errorRatio"), new("BURN RATE", "burnRate")];

    private static readonly Column[] AlertColumns =
        [new("SEVERITY", "severity"), new("LONG", "longWindow"), new("SHORT", "shortWindow"), new("FACTOR", "factor")];

    private static readonly string[] SloFields = ["name", "service", "tenant", "lineOfBusiness", "description", "indicator", "timeWindow", "budgetingMethod"];

    private static readonly string[] ObjectiveFields =
        ["objective", "target", "errorRatio", "budgetRemaining", "burnRate5m", "burnRate1h", "burnRate6h", "burnRatePeriod", "events", "exhaustsIn1h", "exhaustsIn6h", "evaluatedAt"];

    public static Command Create(CliSession session)
    {
        var slo = new Command("slo", "Service level objectives: their error budgets, burn rates and alerts.");
        slo.Subcommands.Add(List(session));
        slo.Subcommands.Add(Status(session));
        slo.Subcommands.Add(Budget(session));
        slo.Subcommands.Add(Apply(session));
        slo.Subcommands.Add(Delete(session));
        return slo;
    }

    private static Command List(CliSession session)
    {
        var service = new Option<string?>("--service") { Description = "Only SLOs of this service." };
        var tenant = new Option<string?>("--tenant") { Description = "Only SLOs of this tenant." };
        var command = new Command("list", "Every SLO objective with its budget left and burn rates.") { service, tenant };
        command.SetAction((parse, cancellationToken) => session.RunAsync(parse, async (client, renderer, ct) =>
        {
            var items = await client.ListAsync(Api, [new("service", parse.GetValue(service)), new("tenant", parse.GetValue(tenant))], false, null, ct);
            renderer.List([.. items.SelectMany(Rows)], ObjectiveColumns);
        }, cancellationToken));
        return command;
    }

    private static Command Status(CliSession session)
    {
        var name = new Argument<string>("name") { Description = "The SLO's name." };
        var command = new Command("status", "One SLO: every objective's windows, budget and the alerts that fire.") { name };
        command.SetAction((parse, cancellationToken) => session.RunAsync(parse, async (client, renderer, ct) =>
        {
            var slo = await client.GetAsync($"{Api}/{Uri.EscapeDataString(parse.GetValue(name)!)}", ct);
            if (renderer.Format != OutputFormat.Table)
            {
                renderer.Document(slo);
                return;
            }

            foreach (string field in SloFields)
            {
                renderer.Line($"{field + ":",-18}{Renderer.Text(slo, field)}");
            }

            foreach (var objective in Rows(slo))
            {
                renderer.Line(string.Empty);
                foreach (string field in ObjectiveFields)
                {
                    renderer.Line($"{field + ":",-18}{Renderer.Text(objective, field)}");
                }

                renderer.Section("Windows", Array(objective, "windows"), WindowColumns);
                renderer.Section("Firing alerts", Array(objective, "firingWindows"), AlertColumns);
            }
        }, cancellationToken));
        return command;
    }

    private static Command Budget(CliSession session)
    {
        var name = new Argument<string?>("name") { Description = "The SLO's name (default: every SLO).", Arity = ArgumentArity.ZeroOrOne };
        var service = new Option<string?>("--service") { Description = "Also show the error-budget policy's decision for this service." };
        var command = new Command("budget", "Error budget left, and when it runs out at the current burn.") { name, service };
        command.SetAction((parse, cancellationToken) => session.RunAsync(parse, async (client, renderer, ct) =>
        {
            string? slo = parse.GetValue(name);
            var rows = slo is null
                ? (await client.ListAsync(Api, [new("service", parse.GetValue(service))], false, null, ct)).SelectMany(Rows).ToList()
                : Rows(await client.GetAsync($"{Api}/{Uri.EscapeDataString(slo)}", ct)).ToList();
            JsonElement? decision = parse.GetValue(service) is { } s
                ? await client.GetAsync($"{Api}/policy?service={Uri.EscapeDataString(s)}", ct)
                : null;
            if (renderer.Format != OutputFormat.Table)
            {
                renderer.Document(JsonSerializer.SerializeToElement(new { objectives = rows, policy = decision }, NeoCloudClient.Json));
                return;
            }

            renderer.List(rows, BudgetColumns);
            if (decision is { } d)
            {
                renderer.Line(string.Empty);
                renderer.Line($"Policy for {Renderer.Text(d, "service")}: {Renderer.Text(d, "decision")} — {Renderer.Text(d, "reason")}");
            }
        }, cancellationToken));
        return command;
    }

    private static Command Apply(CliSession session)
    {
        var file = new Option<FileInfo>("--filename", "-f") { Description = "A kind: SLO manifest (YAML or JSON; - reads standard input).", Required = true };
        var command = new Command("apply", "Declare or replace an SLO.") { file };
        command.SetAction((parse, cancellationToken) => session.RunAsync(parse, async (client, renderer, ct) =>
        {
            string text = await JobCommands.ReadAsync(parse.GetValue(file)!, ct);
            var applied = await client.SendManifestAsync(HttpMethod.Put, Api, text, ct);
            if (renderer.Format == OutputFormat.Table)
            {
                renderer.Line($"slo/{Renderer.Text(applied, "name")} applied");
            }
            else
            {
                renderer.Document(applied);
            }
        }, cancellationToken));
        return command;
    }

    private static Command Delete(CliSession session)
    {
        var name = new Argument<string>("name") { Description = "The SLO's name." };
        var command = new Command("delete", "Withdraw an SLO; its alerts end.") { name };
        command.SetAction((parse, cancellationToken) => session.RunAsync(parse, async (client, renderer, ct) =>
        {
            string slo = parse.GetValue(name)!;
            await client.DeleteAsync($"{Api}/{Uri.EscapeDataString(slo)}", ct);
            renderer.Line($"slo/{slo} deleted");
        }, cancellationToken));
        return command;
    }

    /// <summary>One row per objective, each carrying its SLO's name, service and tenant.</summary>
    private static IEnumerable<JsonElement> Rows(JsonElement slo)
    {
        foreach (var objective in slo.GetProperty("objectives").EnumerateArray())
        {
            var row = new Dictionary<string, JsonElement>(StringComparer.Ordinal)
            {
                ["slo"] = slo.GetProperty("name"),
                ["service"] = slo.GetProperty("service"),
            };
            if (slo.TryGetProperty("tenant", out var tenant))
            {
                row["tenant"] = tenant;
            }

            foreach (var property in objective.EnumerateObject())
            {
                row[property.Name] = property.Value;
            }

            if (objective.TryGetProperty("firingWindows", out var firing))
            {
                row["firing"] = JsonSerializer.SerializeToElement(
                    string.Join(", ", firing.EnumerateArray().Select(w => $"{Renderer.Text(w, "severity")} {Renderer.Text(w, "longWindow")}")));
            }

            yield return JsonSerializer.SerializeToElement(row);
        }
    }

    private static List<JsonElement> Array(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.Array ? [.. value.EnumerateArray()] : [];
}
