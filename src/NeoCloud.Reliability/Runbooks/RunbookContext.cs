using NeoCloud.Kernel.Audit;

namespace NeoCloud.Reliability.Runbooks;

/// <summary>
/// What an action is told about the step it runs for: the run, the step, the person on whose behalf it acts (the
/// approver of a gated step, otherwise whoever started the run) and whether this is a dry run, when it must change nothing.
/// </summary>
public sealed record RunbookContext(string RunId, string Runbook, string Step, Actor OnBehalfOf, bool DryRun);
