using System.CommandLine;
using System.Text.Json;
using NeoCloud.Cli.Output;

namespace NeoCloud.Cli.Commands;

/// <summary><c>neoctl describe node ID</c>: the node, its GPUs, fabric links and lifecycle history.</summary>
internal static class DescribeCommand
{
    private static readonly Column[] GpuColumns =
        [new("NAME", "id"), new("INDEX", "index"), new("PCI", "pciBusId"), new("NUMA", "numaNode"), new("NIC", "nic"), new("STATE", "state"), new("HEALTH", "health")];

    private static readonly Column[] LinkColumns =
        [new("NAME", "id"), new("KIND", "kind"), new("FROM", "from"), new("TO", "to"), new("RAIL", "rail"), new("GBPS", "speedGbps")];

    private static readonly Column[] HistoryColumns =
        [new("AT", "at"), new("FROM", "from"), new("TO", "to"), new("ACTOR", "actor"), new("REASON", "reason")];

    private static readonly string[] NodeFields =
        ["id", "region", "site", "pod", "rack", "slot", "sku", "hostname", "state", "health", "version", "leafGroup", "nvLinkDomain", "pdu", "gpuCount", "cpuCores", "memoryGiB"];

    public static Command Create(CliSession session)
    {
        var describe = new Command("describe", "Show one resource in detail.");
        var id = new Argument<string>("id") { Description = "The node id, e.g. euw1-dc1-r01-n01." };
        var node = new Command("node", "A node with its GPUs, fabric links and lifecycle history.") { id };
        node.SetAction((parse, cancellationToken) => session.RunAsync(parse, async (client, renderer, ct) =>
        {
            var details = await client.GetAsync($"/api/v1/nodes/{Uri.EscapeDataString(parse.GetValue(id)!)}", ct);
            if (renderer.Format != OutputFormat.Table)
            {
                renderer.Document(details);
                return;
            }

            var n = details.GetProperty("node");
            foreach (string field in NodeFields)
            {
                renderer.Line($"{field + ":",-14}{Renderer.Text(n, field)}");
            }

            if (n.TryGetProperty("firmware", out var firmware) && firmware.ValueKind == JsonValueKind.Object)
            {
                renderer.Line($"{"firmware:",-14}{string.Join(", ", firmware.EnumerateObject().Select(p => $"{p.Name}={p.Value}"))}");
            }

            renderer.Section("GPUs", [.. details.GetProperty("gpus").EnumerateArray()], GpuColumns);
            renderer.Section("Links", [.. details.GetProperty("links").EnumerateArray()], LinkColumns);
            renderer.Section("History", [.. details.GetProperty("history").EnumerateArray()], HistoryColumns);
        }, cancellationToken));
        node.Aliases.Add("nodes");
        describe.Subcommands.Add(node);
        describe.Subcommands.Add(JobCommands.DescribeJob(session));
        return describe;
    }
}
