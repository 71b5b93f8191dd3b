using FsCheck;
using FsCheck.Fluent;
using NeoCloud.Fleet.Lifecycle;

namespace NeoCloud.Fleet.Tests.Lifecycle;

public sealed class LifecycleMachineTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(LifecycleState.Provisioning, LifecycleState.BurnIn)]
    [InlineData(LifecycleState.BurnIn, LifecycleState.Available)]
    [InlineData(LifecycleState.Available, LifecycleState.Cordoned)]
    [InlineData(LifecycleState.Cordoned, LifecycleState.Available)]
    [InlineData(LifecycleState.Cordoned, LifecycleState.Draining)]
    [InlineData(LifecycleState.Draining, LifecycleState.Quarantined)]
    [InlineData(LifecycleState.Quarantined, LifecycleState.Repair)]
    [InlineData(LifecycleState.Repair, LifecycleState.Available)]
    [InlineData(LifecycleState.Repair, LifecycleState.Rma)]
    [InlineData(LifecycleState.Rma, LifecycleState.Decommissioned)]
    public void The_documented_node_path_is_legal(LifecycleState from, LifecycleState to)
    {
        var t = LifecycleMachine.Node.Transition("n1", from, to, "person:ops", "test", At);

        Assert.Equal(from, t.From);
        Assert.Equal(to, t.To);
        Assert.Equal("person:ops", t.Actor);
        Assert.Equal(At, t.At);
    }

    [Theory]
    [InlineData(LifecycleState.Provisioning, LifecycleState.Available)]
    [InlineData(LifecycleState.Available, LifecycleState.Rma)]
    [InlineData(LifecycleState.Quarantined, LifecycleState.Available)]
    [InlineData(LifecycleState.Decommissioned, LifecycleState.Available)]
    [InlineData(LifecycleState.Rma, LifecycleState.Available)]
    public void Shortcuts_are_refused_with_what_is_allowed_instead(LifecycleState from, LifecycleState to)
    {
        var ex = Assert.Throws<IllegalTransitionException>(() => LifecycleMachine.Node.Transition("n1", from, to, "person:ops", "test", At));

        Assert.Contains($"cannot go from {from} to {to}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_transition_without_a_reason_is_refused()
    {
        Assert.Throws<ArgumentException>(() => LifecycleMachine.Node.Transition("n1", LifecycleState.Available, LifecycleState.Cordoned, "person:ops", " ", At));
    }

    [Fact]
    public void Decommissioned_is_terminal_for_nodes_and_gpus()
    {
        Assert.Empty(LifecycleMachine.Node.NextStates(LifecycleState.Decommissioned));
        Assert.Empty(LifecycleMachine.Gpu.NextStates(LifecycleState.Decommissioned));
    }

    [Fact]
    public void Every_state_but_decommissioned_can_reach_service_or_retirement()
    {
        foreach (var machine in new[] { LifecycleMachine.Node, LifecycleMachine.Gpu })
        {
            foreach (var start in Enum.GetValues<LifecycleState>().Where(s => s != LifecycleState.Decommissioned))
            {
                var seen = new HashSet<LifecycleState> { start };
                var frontier = new Queue<LifecycleState>([start]);
                while (frontier.TryDequeue(out var s))
                {
                    foreach (var n in machine.NextStates(s).Where(seen.Add))
                    {
                        frontier.Enqueue(n);
                    }
                }

                Assert.True(seen.Contains(LifecycleState.Available) || seen.Contains(LifecycleState.Decommissioned), $"{machine.Subject} stuck from {start}");
            }
        }
    }

    [Fact]
    public void Any_walk_of_commands_only_ever_takes_legal_steps()
    {
        var states = Enum.GetValues<LifecycleState>();
        Prop.ForAll(
            Gen.ArrayOf(Gen.Elements(states)).ToArbitrary(),
            commands =>
            {
                var state = LifecycleState.Provisioning;
                foreach (var wanted in commands)
                {
                    bool legal = LifecycleMachine.Node.CanTransition(state, wanted);
                    try
                    {
                        state = LifecycleMachine.Node.Transition("n", state, wanted, "automation:test", "walk", At).To;
                        if (!legal)
                        {
                            return false;
                        }
                    }
                    catch (IllegalTransitionException)
                    {
                        if (legal)
                        {
                            return false;
                        }
                    }
                }

                return true;
            }).QuickCheckThrowOnFailure();
    }
}
