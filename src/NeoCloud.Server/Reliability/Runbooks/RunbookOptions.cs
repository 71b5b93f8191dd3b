namespace NeoCloud.Server.Reliability.Runbooks;

/// <summary>Runbook settings under <c>NeoCloud:Reliability</c>; the defaults need no configuration.</summary>
public sealed class RunbookOptions
{
    public const string Section = "NeoCloud:Reliability";

    /// <summary>A directory of <c>kind: Runbook</c> files (<c>*.yaml</c>, <c>*.yml</c>, <c>*.json</c>) loaded at start; none by default.</summary>
    public string? RunbooksPath { get; set; }

    /// <summary>The two-person rule on destructive steps; false only for a single-operator install.</summary>
    public bool RunbookTwoPersonRule { get; set; } = true;

    /// <summary>The time limit of a step that declares none.</summary>
    public TimeSpan RunbookStepTimeout { get; set; } = TimeSpan.FromMinutes(30);
}
