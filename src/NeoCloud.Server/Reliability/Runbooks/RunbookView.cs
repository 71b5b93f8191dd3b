using NeoCloud.Reliability.Runbooks;

namespace NeoCloud.Server.Reliability.Runbooks;

/// <summary>A declared runbook as the API shows it: matchers as Alertmanager text, steps with their gates.</summary>
public sealed record RunbookView(
    string Name,
    string Description,
    IReadOnlyList<RunbookParameter> Parameters,
    IReadOnlyList<RunbookView.TriggerView> Triggers,
    IReadOnlyList<RunbookView.StepView> Steps,
    string ManifestHash)
{
    public static RunbookView Of(Runbook runbook)
    {
        ArgumentNullException.ThrowIfNull(runbook);
        return new RunbookView(
            runbook.Name,
            runbook.Description,
            runbook.Parameters,
            [.. runbook.Triggers.Select(t => new TriggerView([.. t.Matchers.Select(m => m.ToString())], t.Parameters))],
            [.. runbook.Steps.Select(s => new StepView(s.Name, RunbookActions.NameOf(s.Action), s.With, s.Approval, s.OnFailure, s.Timeout, RunbookActions.IsDestructive(s.Action)))],
            runbook.ManifestHash);
    }

    /// <summary>One trigger: its matchers and the parameters it binds from alert labels.</summary>
    public sealed record TriggerView(IReadOnlyList<string> Matchers, IReadOnlyDictionary<string, string> Parameters);

    /// <summary>One step as declared.</summary>
    public sealed record StepView(string Name, string Action, IReadOnlyDictionary<string, string> With, ApprovalPolicy Approval, FailurePolicy OnFailure, TimeSpan? Timeout, bool Destructive);
}
