namespace NeoCloud.Reliability.Runbooks;

/// <summary>What a runbook step does; the manifest spells these <c>query</c>, <c>cordon</c>, <c>run-diagnostics</c>, ...</summary>
public enum RunbookAction
{
    Query,
    Cordon,
    Uncordon,
    Drain,
    RunDiagnostics,
    RestartJob,
    Notify,
    Wait,
}
