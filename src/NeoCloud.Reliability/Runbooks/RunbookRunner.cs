using System.Collections.Concurrent;
using System.Globalization;
using NeoCloud.Kernel.Audit;
using NeoCloud.Kernel.Ids;
using NeoCloud.Reliability.Store;

namespace NeoCloud.Reliability.Runbooks;

/// <summary>
/// Advances runbook runs step by step through <see cref="IRunbookActions"/>, persisting each step as Running before its
/// side effect so that a runner that dies mid-step is found out on restart: an interrupted step is run again only when
/// its action is idempotent, otherwise it is marked <see cref="RunbookStepOutcome.Unknown"/> and the run fails for a
/// person to look. Destructive steps wait for an approval from someone other than the run's starter (two-person rule).
/// One runner per store (the region's leader); every write is versioned, so a second one conflicts rather than races.
/// </summary>
public sealed class RunbookRunner(IReliabilityStore store, IRunbookActions actions, TimeProvider clock, RunbookRunnerOptions? options = null)
{
    private readonly RunbookRunnerOptions _options = options ?? new RunbookRunnerOptions();

    // Decisions about a run (which step next, approve, cancel) are taken one at a time; actions run outside it.
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _inFlight = new(StringComparer.Ordinal);

    public RunbookRunnerOptions Options => _options;

    /// <summary>
    /// Creates a Pending run of <paramref name="runbook"/> with its parameters bound and every step's arguments rendered,
    /// and stores it; call <see cref="AdvanceAsync"/> to run it. Bad parameters or arguments throw
    /// <see cref="ArgumentException"/> listing every problem. With <paramref name="runId"/> given, a retried start returns the run made first.
    /// </summary>
    public async Task<RunbookRun> StartAsync(
        Runbook runbook,
        IReadOnlyDictionary<string, string> parameters,
        RunbookRunTrigger trigger,
        Actor startedBy,
        bool dryRun,
        IReadOnlyDictionary<string, string>? alertLabels,
        CancellationToken cancellationToken,
        string? runId = null)
    {
        ArgumentNullException.ThrowIfNull(runbook);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(trigger);
        ArgumentNullException.ThrowIfNull(startedBy);
        var problems = new List<string>();
        var bound = runbook.Bind(parameters, problems);
        var steps = new List<RunbookStepRecord>();
        foreach (var step in runbook.Steps)
        {
            var args = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (var (name, template) in step.With)
            {
                try
                {
                    args[name] = RunbookTemplate.Render(template, bound, alertLabels);
                }
                catch (FormatException ex)
                {
                    problems.Add($"step '{step.Name}' argument '{name}': {ex.Message}");
                }
            }

            CheckRendered(step, args, problems);
            steps.Add(new RunbookStepRecord(step.Name, step.Action, args, step.Approval, step.OnFailure, step.Timeout));
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException($"Runbook '{runbook.Name}' cannot start: {string.Join("; ", problems.Distinct(StringComparer.Ordinal))}.", nameof(parameters));
        }

        var now = clock.GetUtcNow();
        string id = runId ?? SortableId.New(RunbookRun.IdPrefix, clock);
        string how = trigger.Kind == RunbookRunTrigger.AlertKind ? $"alert {trigger.AlertName} ({trigger.AlertFingerprint})" : "hand";
        var run = new RunbookRun(
            id, 1, runbook.Name, runbook.ManifestHash, bound, alertLabels is null ? null : new SortedDictionary<string, string>(alertLabels.ToDictionary(), StringComparer.Ordinal),
            trigger, startedBy.ToString(), dryRun, RunbookRunState.Pending, 0, steps,
            [new RunbookRunEvent(now, startedBy.ToString(), $"started{(dryRun ? " a dry run" : "")} by {how} with {Describe(bound)}")],
            now, now);
        var stored = await store.CreateAsync(RunbookRunCodec.ToRecord(run), cancellationToken);
        return RunbookRunCodec.FromRecord(stored);
    }

    public async Task<RunbookRun?> GetAsync(string runId, CancellationToken cancellationToken) =>
        await store.GetAsync(ReliabilityRecordKinds.RunbookRun, runId, cancellationToken) is { } record ? RunbookRunCodec.FromRecord(record) : null;

    /// <summary>Runs, newest first, optionally in one state or of one runbook; keyset-paged.</summary>
    public async Task<Kernel.Page<RunbookRun>> ListAsync(RunbookRunState? state, string? runbook, int limit, string? cursor, CancellationToken cancellationToken)
    {
        var page = await store.ListAsync(
            new RecordQuery(ReliabilityRecordKinds.RunbookRun, state is { } s ? RunbookRunCodec.StateName(s) : null, runbook, null, limit, cursor), cancellationToken);
        return new Kernel.Page<RunbookRun>([.. page.Items.Select(RunbookRunCodec.FromRecord)], page.NextCursor);
    }

    /// <summary>
    /// Runs the run's steps until it ends or a step waits for approval, and returns it as it then is. A step found
    /// Running that this runner is not executing was interrupted by a crash: idempotent actions run again, others are
    /// marked Unknown and the run fails.
    /// </summary>
    public async Task<RunbookRun> AdvanceAsync(string runId, CancellationToken cancellationToken)
    {
        while (true)
        {
            RunbookRun run;
            RunbookStepRecord step;
            CancellationTokenSource cancel;
            await _gate.WaitAsync(cancellationToken);
            try
            {
                run = await LoadAsync(runId, cancellationToken);
                if (run.IsFinished || run.State == RunbookRunState.AwaitingApproval || _inFlight.ContainsKey(runId))
                {
                    return run;
                }

                var now = clock.GetUtcNow();
                if (run.Current is not { } current)
                {
                    int failed = run.Steps.Count(s => s.Outcome is RunbookStepOutcome.Failed or RunbookStepOutcome.Unknown);
                    return await SaveAsync(run.Next(now, _options.RunnerActor,
                        failed == 0 ? "succeeded: every step done" : $"succeeded with {failed} failed step(s) marked onFailure: continue",
                        RunbookRunState.Succeeded), cancellationToken);
                }

                int k = run.CurrentStep;
                if (current.Outcome == RunbookStepOutcome.Running)
                {
                    if (!RunbookActions.IsIdempotent(current.Action))
                    {
                        var unknown = current with { Outcome = RunbookStepOutcome.Unknown, FinishedAt = now, Output = AppendLine(current.Output, "interrupted: the runner stopped while this step ran; whether it took effect is unknown, and a non-idempotent action is not repeated blindly") };
                        return await SaveAsync(run.Next(now, _options.RunnerActor,
                            $"step '{current.Name}' ({RunbookActions.NameOf(current.Action)}) was running when the runner stopped: outcome unknown, run failed; check its target before running it again",
                            RunbookRunState.Failed, k, unknown), cancellationToken);
                    }

                    run = await SaveAsync(run.Next(now, _options.RunnerActor,
                        $"step '{current.Name}' was running when the runner stopped; {RunbookActions.NameOf(current.Action)} is idempotent, so it runs again"), cancellationToken);
                    current = run.Steps[k];
                }

                if (current.NeedsApproval(run.DryRun))
                {
                    var waiting = current with { Outcome = RunbookStepOutcome.AwaitingApproval };
                    return await SaveAsync(run.Next(now, _options.RunnerActor,
                        $"step '{current.Name}' ({RunbookActions.NameOf(current.Action)} {Describe(current.Args)}) is destructive and waits for approval" +
                        (_options.RequireSecondApprover ? $" by someone other than {run.StartedBy}" : ""),
                        RunbookRunState.AwaitingApproval, k, waiting), cancellationToken);
                }

                // Persisted before the side effect: if the process dies inside the action, the restart sees Running.
                step = current with { Outcome = RunbookStepOutcome.Running, StartedAt = now };
                run = await SaveAsync(run.Next(now, _options.RunnerActor,
                    $"step '{step.Name}' started: {RunbookActions.NameOf(step.Action)} {Describe(step.Args)}{(run.DryRun ? " (dry run)" : "")}",
                    RunbookRunState.Running, k, step), cancellationToken);
                cancel = new CancellationTokenSource();
                _inFlight[runId] = cancel;
            }
            finally
            {
                _gate.Release();
            }

            // The run stays in flight until its step's outcome is recorded: another advance that came in between would
            // otherwise take the Running step for a crashed one, run it again and record it against the next step.
            int executed = run.CurrentStep;
            RunbookStepResult result;
            RunbookStepOutcome outcome;
            try
            {
                (result, outcome) = await ExecuteAsync(run, step, cancel.Token, cancellationToken);
            }
            catch
            {
                Release(runId, cancel);
                throw;
            }

            bool runCancelled = cancel.IsCancellationRequested;
            if (outcome == RunbookStepOutcome.Cancelled && cancellationToken.IsCancellationRequested && !runCancelled)
            {
                // The host is stopping, not the run: leave the step Running, as a crash would, and let ResumeAsync judge it.
                Release(runId, cancel);
                cancellationToken.ThrowIfCancellationRequested();
            }

            await _gate.WaitAsync(CancellationToken.None);
            try
            {
                var fresh = await LoadAsync(runId, CancellationToken.None);
                var now = clock.GetUtcNow();
                int k = fresh.CurrentStep;
                if (k != executed || fresh.Steps[k].Outcome != RunbookStepOutcome.Running)
                {
                    // Someone else settled this step meanwhile (a cancel that ended the run): nothing left to record.
                    Release(runId, cancel);
                    cancellationToken.ThrowIfCancellationRequested();
                    continue;
                }

                var done = fresh.Steps[k] with { Outcome = fresh.State == RunbookRunState.Cancelled && outcome != RunbookStepOutcome.Succeeded ? RunbookStepOutcome.Cancelled : outcome, FinishedAt = now, Output = result.Output };
                string what = $"step '{done.Name}' {OutcomeText(done.Outcome)}{(result.Output.Length > 0 ? ": " + FirstLine(result.Output) : "")}";
                if (fresh.State == RunbookRunState.Cancelled)
                {
                    await SaveAsync(fresh.Next(now, _options.RunnerActor, what + " (after the run was cancelled)", null, k, done), CancellationToken.None);
                    cancellationToken.ThrowIfCancellationRequested();
                    return await LoadAsync(runId, CancellationToken.None);
                }

                bool stop = done.Outcome != RunbookStepOutcome.Succeeded && done.OnFailure == FailurePolicy.Stop;
                var next = fresh.Next(now, _options.RunnerActor, stop ? what + "; run failed (onFailure: stop)" : what,
                    stop ? RunbookRunState.Failed : RunbookRunState.Running, k, done, stop ? k : k + 1);
                await SaveAsync(next, CancellationToken.None);
            }
            finally
            {
                Release(runId, cancel);
                _gate.Release();
            }

            // The outcome is recorded even when the caller gave up; a later AdvanceAsync or ResumeAsync goes on from here.
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <summary>Takes a run out of flight (idempotent: the paths out of a step each call it).</summary>
    private void Release(string runId, CancellationTokenSource cancel)
    {
        if (_inFlight.TryGetValue(runId, out var held) && ReferenceEquals(held, cancel))
        {
            _inFlight.TryRemove(runId, out _);
            cancel.Dispose();
        }
    }

    /// <summary>
    /// Approves the step the run waits on; then call <see cref="AdvanceAsync"/> to run it. With <paramref name="step"/>
    /// named, approving a step this actor already approved returns the run unchanged (a retried request), and a name that
    /// is not the waiting step is refused rather than approving a later one by accident.
    /// </summary>
    /// <exception cref="RunbookApprovalException">The actor started the run (two-person rule) or nothing waits for approval.</exception>
    public async Task<RunbookRun> ApproveAsync(string runId, Actor approver, CancellationToken cancellationToken, string? step = null)
    {
        ArgumentNullException.ThrowIfNull(approver);
        string who = approver.ToString();
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var run = await LoadAsync(runId, cancellationToken);
            var already = run.Steps.LastOrDefault(s => s.ApprovedBy is not null && (step is null || s.Name == step));
            if (run.State != RunbookRunState.AwaitingApproval || (step is not null && run.Current?.Name != step))
            {
                if (already?.ApprovedBy == who && (step is not null || run.State != RunbookRunState.AwaitingApproval))
                {
                    return run;
                }

                throw new RunbookApprovalException(step is not null && run.State == RunbookRunState.AwaitingApproval
                    ? $"Run {run.Id} waits for approval of step '{run.Current?.Name}', not '{step}'."
                    : $"Run {run.Id} is {RunbookRunCodec.StateName(run.State)}: no step waits for approval.");
            }

            var current = run.Current!;
            if (_options.RequireSecondApprover && who == run.StartedBy)
            {
                throw new RunbookApprovalException($"{who} started run {run.Id} and may not approve its destructive step '{current.Name}': the two-person rule needs someone else.")
                {
                    IsSelfApproval = true,
                };
            }

            var now = clock.GetUtcNow();
            var approved = current with { ApprovedBy = who, Outcome = RunbookStepOutcome.Pending };
            return await SaveAsync(run.Next(now, who, $"approved step '{current.Name}' ({RunbookActions.NameOf(current.Action)} {Describe(current.Args)})",
                RunbookRunState.Running, run.CurrentStep, approved), cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Cancels a run: no further step starts, a step waiting for approval is cancelled, and an action under way is asked
    /// to stop (its outcome is still recorded). Cancelling a cancelled run changes nothing; a finished run is refused.
    /// </summary>
    public async Task<RunbookRun> CancelAsync(string runId, Actor actor, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new ArgumentException("A reason is required: every cancelled run is recorded with why.", nameof(reason));
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            var run = await LoadAsync(runId, cancellationToken);
            if (run.State == RunbookRunState.Cancelled)
            {
                return run;
            }

            if (run.IsFinished)
            {
                throw new InvalidOperationException($"Run {run.Id} already {RunbookRunCodec.StateName(run.State)}: there is nothing to cancel.");
            }

            var now = clock.GetUtcNow();
            var current = run.Current;
            bool running = current?.Outcome == RunbookStepOutcome.Running;
            var next = current is not null && !running
                ? run.Next(now, actor.ToString(), $"cancelled: {reason.Trim()}", RunbookRunState.Cancelled, run.CurrentStep, current with { Outcome = RunbookStepOutcome.Cancelled, FinishedAt = now })
                : run.Next(now, actor.ToString(), $"cancelled: {reason.Trim()}{(running ? $" (step '{current!.Name}' is asked to stop)" : "")}", RunbookRunState.Cancelled);
            var saved = await SaveAsync(next, cancellationToken);
            if (_inFlight.TryGetValue(runId, out var inFlight))
            {
                try
                {
                    await inFlight.CancelAsync();
                }
                catch (ObjectDisposedException)
                {
                    // The step ended as the cancel came in: there is nothing left to stop.
                }
            }

            return saved;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// After a restart: advances every run left Pending or Running (interrupted steps are judged as
    /// <see cref="AdvanceAsync"/> says). Returns the runs as they ended up.
    /// </summary>
    public async Task<IReadOnlyList<RunbookRun>> ResumeAsync(CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        foreach (var state in new[] { RunbookRunState.Running, RunbookRunState.Pending })
        {
            string? cursor = null;
            do
            {
                var page = await ListAsync(state, null, Kernel.Keyset.MaxLimit, cursor, cancellationToken);
                ids.AddRange(page.Items.Select(r => r.Id));
                cursor = page.NextCursor;
            }
            while (cursor is not null);
        }

        var resumed = new List<RunbookRun>();
        foreach (string id in ids.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            resumed.Add(await AdvanceAsync(id, cancellationToken));
        }

        return resumed;
    }

    private async Task<(RunbookStepResult Result, RunbookStepOutcome Outcome)> ExecuteAsync(RunbookRun run, RunbookStepRecord step, CancellationToken cancelled, CancellationToken caller)
    {
        var limit = step.Timeout ?? _options.DefaultStepTimeout;
        using var timeout = new CancellationTokenSource(limit, clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancelled, caller);
        var actor = step.ApprovedBy is { } approver ? Actor.Parse(approver) : Actor.Parse(run.StartedBy);
        var context = new RunbookContext(run.Id, run.Runbook, step.Name, actor, run.DryRun);
        try
        {
            var result = await actions.ExecuteAsync(step.Action, step.Args, context, linked.Token);
            return (result, result.Succeeded ? RunbookStepOutcome.Succeeded : RunbookStepOutcome.Failed);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancelled.IsCancellationRequested && !caller.IsCancellationRequested)
        {
            return (RunbookStepResult.Failed($"timed out after {limit}"), RunbookStepOutcome.Failed);
        }
        catch (OperationCanceledException) when (cancelled.IsCancellationRequested || caller.IsCancellationRequested)
        {
            return (RunbookStepResult.Failed(cancelled.IsCancellationRequested ? "stopped: the run was cancelled" : "stopped: the runner is shutting down"),
                RunbookStepOutcome.Cancelled);
        }
#pragma warning disable CA1031 // Any failure of an action is the step's failure, recorded with its message; the run must not be left Running.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return (RunbookStepResult.Failed($"{ex.GetType().Name}: {ex.Message}"), RunbookStepOutcome.Failed);
        }
    }

    private static void CheckRendered(RunbookStep step, IReadOnlyDictionary<string, string> args, List<string> problems)
    {
        foreach (var (name, value) in args)
        {
            if (value.Length == 0 && name is not ("reason" or "message"))
            {
                problems.Add($"step '{step.Name}' argument '{name}' is empty");
            }
        }

        if (step.Action == RunbookAction.Wait && args.TryGetValue("for", out string? wait)
            && !(Kernel.Manifests.SpecMapping.TryParseDuration(wait, out var span) && span > TimeSpan.Zero))
        {
            problems.Add($"step '{step.Name}' argument 'for': '{wait}' is not a positive duration such as 90s or 10m");
        }

        if (step.Action == RunbookAction.RunDiagnostics && args.TryGetValue("level", out string? level) && !RunbookManifestReader.IsDiagnosticLevel(level))
        {
            problems.Add($"step '{step.Name}' argument 'level': '{level}' is not r1, r2, r3 or r4");
        }
    }

    private async Task<RunbookRun> LoadAsync(string runId, CancellationToken cancellationToken) =>
        await GetAsync(runId, cancellationToken) ?? throw new KeyNotFoundException($"No runbook run '{runId}'.");

    private async Task<RunbookRun> SaveAsync(RunbookRun run, CancellationToken cancellationToken) =>
        RunbookRunCodec.FromRecord(await store.UpdateAsync(RunbookRunCodec.ToRecord(run), cancellationToken));

    private static string Describe(IReadOnlyDictionary<string, string> values) =>
        values.Count == 0 ? "no arguments" : string.Join(", ", values.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => string.Create(CultureInfo.InvariantCulture, $"{v.Key}={v.Value}")));

    private static string OutcomeText(RunbookStepOutcome outcome) => outcome switch
    {
        RunbookStepOutcome.Succeeded => "succeeded",
        RunbookStepOutcome.Cancelled => "was cancelled",
        _ => "failed",
    };

    private static string FirstLine(string text) => text.Split('\n', 2)[0].TrimEnd('\r');

    private static string AppendLine(string text, string line) => text.Length == 0 ? line : text + Environment.NewLine + line;
}
