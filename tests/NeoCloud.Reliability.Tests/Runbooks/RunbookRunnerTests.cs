using Microsoft.Extensions.Time.Testing;
using NeoCloud.Kernel.Audit;
using NeoCloud.Reliability.Runbooks;
using NeoCloud.Reliability.Store;

namespace NeoCloud.Reliability.Tests.Runbooks;

public sealed class RunbookRunnerTests
{
    private static readonly Actor Alice = Actor.Person("alice");
    private static readonly Actor Bob = Actor.Person("bob");

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly InMemoryReliabilityStore _store = new();
    private readonly ScriptedActions _actions = new();

    private RunbookRunner Runner(RunbookRunnerOptions? options = null) => new(_store, _actions, _clock, options);

    private Task<RunbookRun> StartAsync(RunbookRunner runner, bool dryRun = false, string node = "n1", Actor? by = null) =>
        runner.StartAsync(SampleRunbooks.Drain, new Dictionary<string, string> { ["node"] = node }, RunbookRunTrigger.Manual, by ?? Alice, dryRun, null, CancellationToken.None);

    [Fact]
    public async Task A_run_stops_before_its_first_destructive_step_until_someone_approves()
    {
        var runner = Runner();
        var run = await StartAsync(runner);

        run = await runner.AdvanceAsync(run.Id, CancellationToken.None);

        Assert.Equal(RunbookRunState.AwaitingApproval, run.State);
        Assert.Equal("drain", run.Current!.Name);
        Assert.Equal(RunbookStepOutcome.AwaitingApproval, run.Current.Outcome);
        Assert.Equal(["look", "cordon"], _actions.Steps);
        Assert.Equal("n1", _actions.Calls[1].Args["node"]);
    }

    [Fact]
    public async Task The_starter_may_not_approve_their_own_destructive_step()
    {
        var runner = Runner();
        var run = await runner.AdvanceAsync((await StartAsync(runner)).Id, CancellationToken.None);

        var refused = await Assert.ThrowsAsync<RunbookApprovalException>(() => runner.ApproveAsync(run.Id, Alice, CancellationToken.None));

        Assert.True(refused.IsSelfApproval);
        Assert.Equal(RunbookRunState.AwaitingApproval, (await runner.GetAsync(run.Id, CancellationToken.None))!.State);
        Assert.DoesNotContain("drain", _actions.Steps);
    }

    [Fact]
    public async Task A_second_person_approves_each_gate_and_the_run_succeeds_acting_on_their_behalf()
    {
        var runner = Runner();
        var run = await runner.AdvanceAsync((await StartAsync(runner)).Id, CancellationToken.None);

        await runner.ApproveAsync(run.Id, Bob, CancellationToken.None);
        run = await runner.AdvanceAsync(run.Id, CancellationToken.None);
        Assert.Equal(("diagnose", RunbookRunState.AwaitingApproval), (run.Current!.Name, run.State));
        await runner.ApproveAsync(run.Id, Bob, CancellationToken.None, step: "diagnose");
        run = await runner.AdvanceAsync(run.Id, CancellationToken.None);

        Assert.Equal(RunbookRunState.Succeeded, run.State);
        Assert.All(run.Steps, s => Assert.Equal(RunbookStepOutcome.Succeeded, s.Outcome));
        Assert.Equal("person:bob", run.Steps[2].ApprovedBy);
        Assert.Equal(Bob, _actions.Calls.Single(c => c.Context.Step == "drain").Context.OnBehalfOf);
        Assert.Equal(Alice, _actions.Calls.Single(c => c.Context.Step == "cordon").Context.OnBehalfOf);
        Assert.Equal("r1", _actions.Calls.Single(c => c.Context.Step == "diagnose").Args["level"]);
        Assert.Contains(run.History, e => e.Actor == "person:bob" && e.What.StartsWith("approved step 'drain'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_two_person_rule_can_be_turned_off_for_a_single_operator_install()
    {
        var runner = Runner(new RunbookRunnerOptions { RequireSecondApprover = false });
        var run = await runner.AdvanceAsync((await StartAsync(runner)).Id, CancellationToken.None);

        run = await runner.ApproveAsync(run.Id, Alice, CancellationToken.None);

        Assert.Equal("person:alice", run.Steps[2].ApprovedBy);
    }

    [Fact]
    public async Task Approving_twice_with_the_step_named_is_harmless_and_never_approves_the_next_gate()
    {
        var runner = Runner();
        var run = await runner.AdvanceAsync((await StartAsync(runner)).Id, CancellationToken.None);

        await runner.ApproveAsync(run.Id, Bob, CancellationToken.None, step: "drain");
        run = await runner.AdvanceAsync(run.Id, CancellationToken.None);
        var retried = await runner.ApproveAsync(run.Id, Bob, CancellationToken.None, step: "drain");

        Assert.Equal(run.Version, retried.Version);
        Assert.Equal(RunbookRunState.AwaitingApproval, retried.State);
        Assert.Null(retried.Steps[3].ApprovedBy);
        await Assert.ThrowsAsync<RunbookApprovalException>(() => runner.ApproveAsync(run.Id, Actor.Person("carol"), CancellationToken.None, step: "drain"));
    }

    [Fact]
    public async Task Approving_a_run_that_waits_for_nothing_is_refused()
    {
        var runner = Runner();
        var run = await StartAsync(runner);

        await Assert.ThrowsAsync<RunbookApprovalException>(() => runner.ApproveAsync(run.Id, Bob, CancellationToken.None));
    }

    [Fact]
    public async Task A_dry_run_calls_every_action_in_dry_run_mode_and_waits_for_no_approval()
    {
        var runner = Runner();

        var run = await runner.AdvanceAsync((await StartAsync(runner, dryRun: true)).Id, CancellationToken.None);

        Assert.Equal(RunbookRunState.Succeeded, run.State);
        Assert.Equal(["look", "cordon", "drain", "diagnose"], _actions.Steps);
        Assert.All(_actions.Calls, c => Assert.True(c.Context.DryRun));
        Assert.StartsWith("would drain", run.Steps[2].Output, StringComparison.Ordinal);
        Assert.All(run.Steps, s => Assert.Null(s.ApprovedBy));
    }

    [Fact]
    public async Task A_failed_step_stops_the_run_unless_it_says_continue()
    {
        _actions.Results["look"] = RunbookStepResult.Failed("node n1 not found");
        var runner = Runner();

        var run = await runner.AdvanceAsync((await StartAsync(runner)).Id, CancellationToken.None);

        Assert.Equal(RunbookRunState.Failed, run.State);
        Assert.Equal(RunbookStepOutcome.Failed, run.Steps[0].Outcome);
        Assert.Equal("node n1 not found", run.Steps[0].Output);
        Assert.Equal(RunbookStepOutcome.Pending, run.Steps[1].Outcome);
        Assert.Equal(["look"], _actions.Steps);
    }

    [Fact]
    public async Task A_step_marked_continue_lets_the_run_go_on_after_it_fails()
    {
        var runbook = RunbookManifestReader.Parse("""
            apiVersion: neocloud.dev/v1
            kind: Runbook
            metadata: { name: tolerant }
            spec:
              steps:
                - { name: tell, action: notify, onFailure: continue, with: { message: hello } }
                - { name: look, action: query, with: { node: n1 } }
            """);
        _actions.Throws["tell"] = new HttpRequestException("pager unreachable");
        var runner = Runner();
        var run = await runner.StartAsync(runbook, new Dictionary<string, string>(), RunbookRunTrigger.Manual, Alice, false, null, CancellationToken.None);

        run = await runner.AdvanceAsync(run.Id, CancellationToken.None);

        Assert.Equal(RunbookRunState.Succeeded, run.State);
        Assert.Equal(RunbookStepOutcome.Failed, run.Steps[0].Outcome);
        Assert.Contains("pager unreachable", run.Steps[0].Output, StringComparison.Ordinal);
        Assert.Contains("1 failed step", run.History[^1].What, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancelling_a_run_that_waits_for_approval_ends_it_and_a_second_cancel_changes_nothing()
    {
        var runner = Runner();
        var run = await runner.AdvanceAsync((await StartAsync(runner)).Id, CancellationToken.None);

        var cancelled = await runner.CancelAsync(run.Id, Bob, "wrong node", CancellationToken.None);
        var again = await runner.CancelAsync(run.Id, Bob, "wrong node", CancellationToken.None);

        Assert.Equal(RunbookRunState.Cancelled, cancelled.State);
        Assert.Equal(RunbookStepOutcome.Cancelled, cancelled.Steps[2].Outcome);
        Assert.Equal(cancelled.Version, again.Version);
        Assert.Contains(cancelled.History, e => e is { Actor: "person:bob", What: "cancelled: wrong node" });
        await Assert.ThrowsAsync<RunbookApprovalException>(() => runner.ApproveAsync(run.Id, Bob, CancellationToken.None));
        Assert.Equal(RunbookRunState.Cancelled, (await runner.AdvanceAsync(run.Id, CancellationToken.None)).State);
    }

    [Fact]
    public async Task Cancelling_a_run_stops_the_action_under_way()
    {
        _actions.Blocks["look"] = new TaskCompletionSource<RunbookStepResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var runner = Runner();
        var run = await StartAsync(runner);
        var advancing = runner.AdvanceAsync(run.Id, CancellationToken.None);
        while (_actions.Calls.Count == 0)
        {
            await Task.WhenAny(advancing, Task.Delay(5));
        }

        await runner.CancelAsync(run.Id, Bob, "stop", CancellationToken.None);
        run = await advancing.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(RunbookRunState.Cancelled, run.State);
        Assert.Equal(RunbookStepOutcome.Cancelled, run.Steps[0].Outcome);
        Assert.Equal(["look"], _actions.Steps);
    }

    [Fact]
    public async Task A_finished_run_cannot_be_cancelled()
    {
        var runner = Runner();
        var run = await runner.AdvanceAsync((await StartAsync(runner, dryRun: true)).Id, CancellationToken.None);

        await Assert.ThrowsAsync<InvalidOperationException>(() => runner.CancelAsync(run.Id, Bob, "late", CancellationToken.None));
    }

    [Fact]
    public async Task A_step_that_outlives_its_timeout_fails()
    {
        _actions.Blocks["look"] = new TaskCompletionSource<RunbookStepResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var runner = Runner(new RunbookRunnerOptions { DefaultStepTimeout = TimeSpan.FromMinutes(2) });
        var run = await StartAsync(runner);
        var advancing = runner.AdvanceAsync(run.Id, CancellationToken.None);
        while (_actions.Calls.Count == 0)
        {
            await Task.WhenAny(advancing, Task.Delay(5));
        }

        _clock.Advance(TimeSpan.FromMinutes(3));
        run = await advancing.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(RunbookRunState.Failed, run.State);
        Assert.Contains("timed out", run.Steps[0].Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_step_is_stored_as_running_before_its_action_is_called()
    {
        var seen = new List<RunbookStepOutcome>();
        var store = _store;
        var observing = new ObservingActions(async (context) =>
        {
            var record = await store.GetAsync(ReliabilityRecordKinds.RunbookRun, context.RunId, CancellationToken.None);
            var stored = RunbookRunCodec.FromRecord(record!);
            seen.Add(stored.Steps.Single(s => s.Name == context.Step).Outcome);
            Assert.Equal("running", record!.Status);
        });
        var runner = new RunbookRunner(_store, observing, _clock);
        var run = await StartAsync(runner, dryRun: true);

        await runner.AdvanceAsync(run.Id, CancellationToken.None);

        Assert.Equal(Enumerable.Repeat(RunbookStepOutcome.Running, 4), seen);
    }

    [Fact]
    public async Task After_a_crash_an_interrupted_destructive_step_is_not_repeated_but_marked_unknown()
    {
        var runner = Runner();
        var run = await runner.AdvanceAsync((await StartAsync(runner)).Id, CancellationToken.None);
        await runner.ApproveAsync(run.Id, Bob, CancellationToken.None);
        var crashed = await SimulateCrashDuring(run.Id, "drain");

        var restarted = Runner();
        var resumed = Assert.Single(await restarted.ResumeAsync(CancellationToken.None));

        Assert.Equal(crashed, resumed.Id);
        Assert.Equal(RunbookRunState.Failed, resumed.State);
        Assert.Equal(RunbookStepOutcome.Unknown, resumed.Steps[2].Outcome);
        Assert.Contains("not repeated blindly", resumed.Steps[2].Output, StringComparison.Ordinal);
        Assert.Single(_actions.Steps, s => s == "drain");
    }

    [Fact]
    public async Task After_a_crash_an_interrupted_idempotent_step_runs_again_and_the_run_goes_on()
    {
        var runner = Runner();
        var run = await StartAsync(runner);
        await SimulateCrashDuring(run.Id, "cordon");

        var resumed = Assert.Single(await Runner().ResumeAsync(CancellationToken.None));

        Assert.Equal(RunbookRunState.AwaitingApproval, resumed.State);
        Assert.Equal("drain", resumed.Current!.Name);
        Assert.Equal(RunbookStepOutcome.Succeeded, resumed.Steps[1].Outcome);
        Assert.Contains(resumed.History, e => e.What.Contains("is idempotent, so it runs again", StringComparison.Ordinal));
        Assert.Equal(2, _actions.Steps.Count(s => s == "cordon"));
    }

    [Fact]
    public async Task A_start_retried_with_the_same_run_id_makes_one_run()
    {
        var runner = Runner();
        var args = new Dictionary<string, string> { ["node"] = "n1" };

        var first = await runner.StartAsync(SampleRunbooks.Drain, args, RunbookRunTrigger.Manual, Alice, false, null, CancellationToken.None, runId: "rbk-fixed");
        var second = await runner.StartAsync(SampleRunbooks.Drain, args, RunbookRunTrigger.Manual, Alice, false, null, CancellationToken.None, runId: "rbk-fixed");

        Assert.Equal(RunbookRunCodec.ToRecord(first), RunbookRunCodec.ToRecord(second));
        Assert.Single((await runner.ListAsync(null, null, 10, null, CancellationToken.None)).Items);
    }

    [Fact]
    public async Task Bad_parameters_are_refused_at_start_with_every_problem()
    {
        var runner = Runner();

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => runner.StartAsync(
            SampleRunbooks.Drain, new Dictionary<string, string> { ["nod"] = "n1", ["level"] = "r9" }, RunbookRunTrigger.Manual, Alice, false, null, CancellationToken.None));

        Assert.Contains("'nod' is not a parameter", ex.Message, StringComparison.Ordinal);
        Assert.Contains("parameter 'node' is required", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'r9' is not r1, r2, r3 or r4", ex.Message, StringComparison.Ordinal);
        Assert.Empty((await runner.ListAsync(null, null, 10, null, CancellationToken.None)).Items);
    }

    [Fact]
    public async Task Runs_are_listed_newest_first_by_state_and_runbook()
    {
        var runner = Runner();
        var waiting = await runner.AdvanceAsync((await StartAsync(runner, node: "n1")).Id, CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(1));
        var done = await runner.AdvanceAsync((await StartAsync(runner, dryRun: true, node: "n2")).Id, CancellationToken.None);

        var all = await runner.ListAsync(null, "drain-node", 10, null, CancellationToken.None);
        var awaiting = await runner.ListAsync(RunbookRunState.AwaitingApproval, null, 10, null, CancellationToken.None);
        var firstPage = await runner.ListAsync(null, null, 1, null, CancellationToken.None);

        Assert.Equal([done.Id, waiting.Id], all.Items.Select(r => r.Id));
        Assert.Equal(waiting.Id, Assert.Single(awaiting.Items).Id);
        Assert.NotNull(firstPage.NextCursor);
        Assert.Equal(waiting.Id, Assert.Single((await runner.ListAsync(null, null, 1, firstPage.NextCursor, CancellationToken.None)).Items).Id);
    }

    // Leaves the store as a runner that died inside the step would: the step stored Running, its outcome never written.
    private async Task<string> SimulateCrashDuring(string runId, string step)
    {
        _actions.Blocks[step] = new TaskCompletionSource<RunbookStepResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var doomed = Runner();
        using var stop = new CancellationTokenSource();
        var advancing = doomed.AdvanceAsync(runId, stop.Token);
        while (!_actions.Steps.Contains(step))
        {
            await Task.WhenAny(advancing, Task.Delay(5));
        }

        var snapshot = await _store.GetAsync(ReliabilityRecordKinds.RunbookRun, runId, CancellationToken.None);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => advancing);
        // Put back the record as the dead runner left it (step Running), as the next version of what is stored now.
        var now = await _store.GetAsync(ReliabilityRecordKinds.RunbookRun, runId, CancellationToken.None);
        await _store.UpdateAsync(snapshot! with { Version = now!.Version + 1, UpdatedAt = now.UpdatedAt }, CancellationToken.None);
        snapshot = await _store.GetAsync(ReliabilityRecordKinds.RunbookRun, runId, CancellationToken.None);
        _actions.Blocks.Remove(step);
        var stored = RunbookRunCodec.FromRecord(snapshot!);
        Assert.Equal(RunbookStepOutcome.Running, stored.Steps.Single(s => s.Name == step).Outcome);
        return runId;
    }

    private sealed class ObservingActions(Func<RunbookContext, Task> observe) : IRunbookActions
    {
        public async Task<RunbookStepResult> ExecuteAsync(RunbookAction action, IReadOnlyDictionary<string, string> args, RunbookContext context, CancellationToken cancellationToken)
        {
            await observe(context);
            return RunbookStepResult.Ok("seen");
        }
    }
}
