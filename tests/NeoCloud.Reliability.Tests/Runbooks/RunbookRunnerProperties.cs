using NeoCloud.Reliability.Store;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Microsoft.Extensions.Time.Testing;
using NeoCloud.Kernel.Audit;
using NeoCloud.Reliability.Runbooks;

namespace NeoCloud.Reliability.Tests.Runbooks;

public sealed class RunbookRunnerProperties
{
    private static readonly Actor[] People = [Actor.Person("alice"), Actor.Person("bob"), Actor.Person("carol")];

    /// <summary>Each int is one command: advance, approve (by whom, naming the step or not), cancel, or a crash and resume.</summary>
    private static Arbitrary<int[]> Commands => Gen.Choose(0, 999).ArrayOf().ToArbitrary();

    [Property(MaxTest = 200)]
    public Property A_destructive_step_never_runs_without_the_approval_of_someone_other_than_its_starter() =>
        Prop.ForAll(Commands, commands =>
        {
            var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
            var store = new InMemoryReliabilityStore();
            var actions = new ScriptedActions();
            var runner = new RunbookRunner(store, actions, clock);
            var run = runner.StartAsync(SampleRunbooks.Drain, new Dictionary<string, string> { ["node"] = "n1" }, RunbookRunTrigger.Manual, People[0], false, null, CancellationToken.None)
                .GetAwaiter().GetResult();
            foreach (int command in commands)
            {
                clock.Advance(TimeSpan.FromSeconds(1));
                var who = People[command / 10 % People.Length];
                try
                {
                    switch (command % 10)
                    {
                        case < 4:
                            runner.AdvanceAsync(run.Id, CancellationToken.None).GetAwaiter().GetResult();
                            break;
                        case < 7:
                            runner.ApproveAsync(run.Id, who, CancellationToken.None, command % 2 == 0 ? null : "drain").GetAwaiter().GetResult();
                            break;
                        case 7:
                            runner.CancelAsync(run.Id, who, "changed my mind", CancellationToken.None).GetAwaiter().GetResult();
                            break;
                        default:
                            // A fresh runner over the same store, as after a restart.
                            runner = new RunbookRunner(store, actions, clock);
                            runner.ResumeAsync(CancellationToken.None).GetAwaiter().GetResult();
                            break;
                    }
                }
                catch (InvalidOperationException)
                {
                    // Refused commands (self-approval, nothing to approve, a finished run) must change nothing: checked below.
                }
            }

            var final = runner.GetAsync(run.Id, CancellationToken.None).GetAwaiter().GetResult()!;
            var destructiveCalls = actions.Calls.Where(c => RunbookActions.IsDestructive(c.Action)).ToList();
            bool everyCallApproved = destructiveCalls.All(c => c.Context.OnBehalfOf != People[0]
                && final.Steps.Single(s => s.Name == c.Context.Step).ApprovedBy == c.Context.OnBehalfOf.ToString());
            bool historyGrows = final.History.Count == final.Version;
            bool noStepRunTwice = actions.Steps.Distinct().Count() == actions.Steps.Count;
            return (everyCallApproved && historyGrows && noStepRunTwice)
                .Label($"calls: {string.Join(",", actions.Calls.Select(c => $"{c.Context.Step}@{c.Context.OnBehalfOf}"))}; state {final.State}; version {final.Version}; history {final.History.Count}");
        });
}
