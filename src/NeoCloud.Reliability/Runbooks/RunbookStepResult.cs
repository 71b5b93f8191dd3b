namespace NeoCloud.Reliability.Runbooks;

/// <summary>What an action reports: whether it did what was asked, and text for the operator (what it saw, or what it would do in a dry run).</summary>
public sealed record RunbookStepResult(bool Succeeded, string Output)
{
    public static RunbookStepResult Ok(string output) => new(true, output);

    public static RunbookStepResult Failed(string output) => new(false, output);
}
