namespace NeoCloud.Reliability.Runbooks;

/// <summary>
/// One run of a runbook: immutable, each change a new <see cref="Version"/> written with optimistic concurrency, so two
/// runners can never both advance it. <see cref="CurrentStep"/> is the index of the step under way or next
/// (<c>Steps.Count</c> once all are done).
/// </summary>
/// <param name="Id">Sortable (<c>rbk-01J...</c>).</param>
/// <param name="Labels">The triggering alert's labels; null for a run started by hand.</param>
/// <param name="StartedBy">Who started it (<c>person:alice</c>, or automation for an alert); the two-person rule keeps them from approving its destructive steps.</param>
public sealed record RunbookRun(
    string Id,
    long Version,
    string Runbook,
    string ManifestHash,
    IReadOnlyDictionary<string, string> Parameters,
    IReadOnlyDictionary<string, string>? Labels,
    RunbookRunTrigger Trigger,
    string StartedBy,
    bool DryRun,
    RunbookRunState State,
    int CurrentStep,
    IReadOnlyList<RunbookStepRecord> Steps,
    IReadOnlyList<RunbookRunEvent> History,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public const string IdPrefix = "rbk";

    public bool IsFinished => State is RunbookRunState.Succeeded or RunbookRunState.Failed or RunbookRunState.Cancelled;

    /// <summary>The step under way or next; null once every step is done.</summary>
    public RunbookStepRecord? Current => CurrentStep < Steps.Count ? Steps[CurrentStep] : null;

    /// <summary>The next version of this run: a step replaced, the state changed, an event appended.</summary>
    internal RunbookRun Next(DateTimeOffset at, string actor, string what, RunbookRunState? state = null, int? step = null, RunbookStepRecord? record = null, int? currentStep = null)
    {
        var steps = Steps;
        if (step is { } index && record is not null)
        {
            var copy = Steps.ToArray();
            copy[index] = record;
            steps = copy;
        }

        return this with
        {
            Version = Version + 1,
            State = state ?? State,
            CurrentStep = currentStep ?? CurrentStep,
            Steps = steps,
            History = [.. History, new RunbookRunEvent(at, actor, what)],
            UpdatedAt = at,
        };
    }
}
