namespace NeoCloud.Reliability.Runbooks;

/// <summary>
/// The arguments each action takes (<c>with:</c>), so a manifest that gives drain no node or misspells an argument is
/// refused when it is read, not when an operator is waiting on step three at night.
/// </summary>
public sealed record RunbookActionArguments(IReadOnlyList<string> Required, IReadOnlyList<string> Optional, IReadOnlyList<string> OneOf)
{
    public static RunbookActionArguments For(RunbookAction action) => action switch
    {
        RunbookAction.Query => new([], [], ["node", "job"]),
        RunbookAction.Cordon or RunbookAction.Uncordon or RunbookAction.Drain => new(["node"], ["reason"], []),
        RunbookAction.RunDiagnostics => new(["node"], ["level", "reason"], []),
        RunbookAction.RestartJob => new(["job"], ["reason"], []),
        RunbookAction.Notify => new(["message"], ["severity"], []),
        RunbookAction.Wait => new(["for"], [], []),
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, "Unknown runbook action."),
    };

    public bool Accepts(string name) => Required.Contains(name) || Optional.Contains(name) || OneOf.Contains(name);

    public IEnumerable<string> All => Required.Concat(OneOf).Concat(Optional);
}
