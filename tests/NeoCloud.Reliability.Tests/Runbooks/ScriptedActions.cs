using NeoCloud.Reliability.Runbooks;

namespace NeoCloud.Reliability.Tests.Runbooks;

/// <summary>Records every action call; answers success unless told to fail, throw or block on a step.</summary>
internal sealed class ScriptedActions : IRunbookActions
{
    private readonly Lock _gate = new();
    private readonly List<(RunbookAction Action, IReadOnlyDictionary<string, string> Args, RunbookContext Context)> _calls = [];

    public Dictionary<string, RunbookStepResult> Results { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, Exception> Throws { get; } = new(StringComparer.Ordinal);

    /// <summary>A step named here waits on its task (completed by the test, or never: then only cancellation ends it).</summary>
    public Dictionary<string, TaskCompletionSource<RunbookStepResult>> Blocks { get; } = new(StringComparer.Ordinal);

    public IReadOnlyList<(RunbookAction Action, IReadOnlyDictionary<string, string> Args, RunbookContext Context)> Calls
    {
        get
        {
            lock (_gate)
            {
                return [.. _calls];
            }
        }
    }

    public IReadOnlyList<string> Steps => [.. Calls.Select(c => c.Context.Step)];

    public async Task<RunbookStepResult> ExecuteAsync(RunbookAction action, IReadOnlyDictionary<string, string> args, RunbookContext context, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _calls.Add((action, args, context));
        }

        if (Throws.TryGetValue(context.Step, out var ex))
        {
            throw ex;
        }

        if (Blocks.TryGetValue(context.Step, out var block))
        {
            return await block.Task.WaitAsync(cancellationToken);
        }

        return Results.TryGetValue(context.Step, out var result)
            ? result
            : RunbookStepResult.Ok($"{(context.DryRun ? "would " : "")}{RunbookActions.NameOf(action)} {string.Join(",", args.Select(a => a.Key + "=" + a.Value))}");
    }
}
