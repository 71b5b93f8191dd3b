using System.CommandLine;
using NeoCloud.Cli.Output;

namespace NeoCloud.Cli.Commands;

/// <summary><c>neoctl get nodes|gpus|regions|sites|racks</c>: lists with filters, following cursors to the end or to <c>--limit</c>.</summary>
internal static class GetCommand
{
    public static Command Create(CliSession session)
    {
        var get = new Command("get", "List resources.");
        foreach (var kind in ResourceKind.All)
        {
            get.Subcommands.Add(CreateFor(kind, session));
        }

        return get;
    }

    private static Command CreateFor(ResourceKind kind, CliSession session)
    {
        var command = new Command(kind.Name, $"List {kind.Name}.");
        command.Aliases.Add(kind.Alias);
        var filters = kind.Filters.Select(f => (Name: f, Option: new Option<string?>($"--{f}") { Description = $"Only {kind.Name} with this {f}." })).ToList();
        foreach (var (_, option) in filters)
        {
            command.Options.Add(option);
        }

        var limit = new Option<int?>("--limit") { Description = "List at most this many (default: all)." };
        limit.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is < 1)
            {
                result.AddError("--limit must be at least 1.");
            }
        });
        command.Options.Add(limit);

        command.SetAction((parse, cancellationToken) => session.RunAsync(parse, async (client, renderer, ct) =>
        {
            var values = filters.Select(f => new KeyValuePair<string, string?>(f.Name, parse.GetValue(f.Option)));
            var items = await client.ListAsync(kind.Path, values, kind.Paged, parse.GetValue(limit), ct);
            renderer.List(items, kind.Columns);
        }, cancellationToken));
        return command;
    }
}
