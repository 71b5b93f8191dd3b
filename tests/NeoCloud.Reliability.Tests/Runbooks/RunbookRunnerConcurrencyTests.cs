using Microsoft.Extensions.Time.Testing;
using NeoCloud.Kernel.Audit;
using NeoCloud.Reliability.Runbooks;
using NeoCloud.Reliability.Store;

namespace NeoCloud.Reliability.Tests.Runbooks;

public sealed class RunbookRunnerConcurrencyTests
{
    [Fact]
    public async Task Advances_racing_on_one_run_run_each_step_once_and_never_pass_an_approval_gate()
    {
        // The host schedules an advance for every start, approval and alert repeat, so several can race on one run. A
        // step's outcome must be recorded against that step, and a step in flight must not look like a crashed one.
        for (int round = 0; round < 200; round++)
        {
            var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
            var actions = new ScriptedActions();
            var runner = new RunbookRunner(new InMemoryReliabilityStore(), actions, clock);
            var run = await runner.StartAsync(
                SampleRunbooks.Drain, new Dictionary<string, string> { ["node"] = "n1" }, RunbookRunTrigger.Manual, Actor.Person("alice"), false, null, CancellationToken.None);

            await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => runner.AdvanceAsync(run.Id, CancellationToken.None))));
            var settled = await runner.AdvanceAsync(run.Id, CancellationToken.None);

            Assert.Equal(RunbookRunState.AwaitingApproval, settled.State);
            Assert.Equal("drain", settled.Current!.Name);
            Assert.Equal(["look", "cordon"], actions.Steps);
        }
    }
}
