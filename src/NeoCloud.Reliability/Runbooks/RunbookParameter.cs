namespace NeoCloud.Reliability.Runbooks;

/// <summary>One declared input of a runbook; a required one without a default must be given when the run starts.</summary>
public sealed record RunbookParameter(string Name, bool Required, string? Default, string Description);
