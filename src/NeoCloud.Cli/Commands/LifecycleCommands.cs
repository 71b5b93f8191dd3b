using System.CommandLine;
using NeoCloud.Cli.Api;
using NeoCloud.Cli.Output;

namespace NeoCloud.Cli.Commands;

/// <summary><c>neoctl cordon ID --reason R</c> and <c>neoctl uncordon ID --reason R</c>.</summary>
internal static class LifecycleCommands
{
    public static Command Cordon(CliSession session) =>
        Create("cordon", "Stop placing new work on a node (idempotent).", "cordoned", session);

    public static Command Uncordon(CliSession session) =>
        Create("uncordon", "Return a cordoned node to service (idempotent).", "uncordoned", session);

    private static Command Create(string verb, string description, string pastTense, CliSession session)
    {
        var id = new Argument<string>("id") { Description = "The node id." };
        var reason = new Option<string>("--reason") { Description = "Why: recorded in the node's history and the audit log.", Required = true };
        var actor = new Option<string?>("--actor") { Description = "Who, as kind:name (default: the server decides, person:anonymous without a token)." };
        var command = new Command(verb, description) { id, reason, actor };
        command.SetAction((parse, cancellationToken) => session.RunAsync(parse, async (client, renderer, ct) =>
        {
            string nodeId = parse.GetValue(id)!;
            var node = await client.PostAsync(
                $"/api/v1/nodes/{Uri.EscapeDataString(nodeId)}/{verb}", new LifecycleCommand(parse.GetValue(reason)!, parse.GetValue(actor)), ct);
            if (renderer.Format == OutputFormat.Table)
            {
                renderer.Line($"node/{nodeId} {pastTense} (state: {Renderer.Text(node, "state")})");
            }
            else
            {
                renderer.Document(node);
            }
        }, cancellationToken));
        return command;
    }
}
