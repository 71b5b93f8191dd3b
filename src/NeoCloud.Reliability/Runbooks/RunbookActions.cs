using System.Diagnostics.CodeAnalysis;

namespace NeoCloud.Reliability.Runbooks;

/// <summary>
/// The facts the approval gate and crash recovery rest on for each <see cref="RunbookAction"/>: its manifest name,
/// whether it is destructive (takes capacity away or disturbs work) and whether running it twice is harmless.
/// </summary>
public static class RunbookActions
{
    private static readonly (RunbookAction Action, string Name)[] Names =
    [
        (RunbookAction.Query, "query"),
        (RunbookAction.Cordon, "cordon"),
        (RunbookAction.Uncordon, "uncordon"),
        (RunbookAction.Drain, "drain"),
        (RunbookAction.RunDiagnostics, "run-diagnostics"),
        (RunbookAction.RestartJob, "restart-job"),
        (RunbookAction.Notify, "notify"),
        (RunbookAction.Wait, "wait"),
    ];

    /// <summary>Every action's manifest name, in declaration order.</summary>
    public static IReadOnlyList<string> All { get; } = [.. Names.Select(n => n.Name)];

    public static string NameOf(RunbookAction action) => Names.First(n => n.Action == action).Name;

    public static bool TryParse(string? text, [NotNullWhen(true)] out RunbookAction? action)
    {
        foreach (var (a, name) in Names)
        {
            if (string.Equals(name, text, StringComparison.Ordinal))
            {
                action = a;
                return true;
            }
        }

        action = null;
        return false;
    }

    /// <summary>
    /// Drain evicts work, diagnostics take a node out of service for their run, a restart kills a job's progress since
    /// its checkpoint: these need approval unless the manifest says otherwise. Cordon only stops new placements.
    /// </summary>
    public static bool IsDestructive(RunbookAction action) =>
        action is RunbookAction.Drain or RunbookAction.RunDiagnostics or RunbookAction.RestartJob;

    /// <summary>Whether an interrupted step may be run again after a crash without asking anyone: its effect is the same once or twice.</summary>
    public static bool IsIdempotent(RunbookAction action) =>
        action is RunbookAction.Query or RunbookAction.Cordon or RunbookAction.Uncordon or RunbookAction.Notify or RunbookAction.Wait;
}
