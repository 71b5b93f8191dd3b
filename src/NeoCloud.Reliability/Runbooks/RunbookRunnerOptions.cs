namespace NeoCloud.Reliability.Runbooks;

/// <summary>How a <see cref="RunbookRunner"/> gates and bounds steps.</summary>
public sealed record RunbookRunnerOptions
{
    /// <summary>
    /// The two-person rule: whoever started a run may not approve its destructive steps. Turn off only for a
    /// single-operator install, where nobody else could ever approve.
    /// </summary>
    public bool RequireSecondApprover { get; init; } = true;

    /// <summary>The limit on a step that declares no <c>timeout</c>.</summary>
    public TimeSpan DefaultStepTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Who the history names for the runner's own decisions (a step started, a crash found).</summary>
    public string RunnerActor { get; init; } = "automation:runbook-runner";
}
