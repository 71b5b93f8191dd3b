namespace NeoCloud.Reliability.Runbooks;

/// <summary>One declared step: an action with templated arguments, its approval gate, what a failure does, and its time limit.</summary>
/// <param name="With">Argument templates such as <c>node: "{{ .params.node }}"</c>, rendered when the run starts.</param>
/// <param name="Timeout">How long the action may take before the step fails; null for no limit of the runbook's own.</param>
public sealed record RunbookStep(
    string Name,
    RunbookAction Action,
    IReadOnlyDictionary<string, string> With,
    ApprovalPolicy Approval,
    FailurePolicy OnFailure,
    TimeSpan? Timeout);
