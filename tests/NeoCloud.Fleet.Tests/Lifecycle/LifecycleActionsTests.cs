using NeoCloud.Fleet.Lifecycle;

namespace NeoCloud.Fleet.Tests.Lifecycle;

public sealed class LifecycleActionsTests
{
    [Theory]
    [InlineData(LifecycleState.Cordoned, "node.cordon")]
    [InlineData(LifecycleState.Available, "node.uncordon")]
    [InlineData(LifecycleState.BurnIn, "node.transition.burn-in")]
    [InlineData(LifecycleState.Quarantined, "node.transition.quarantined")]
    public void Actions_are_named_as_the_api_spells_states(LifecycleState to, string action)
    {
        Assert.Equal(action, LifecycleActions.For(LifecycleActions.Node, to));
    }

    [Fact]
    public void Every_state_has_a_lower_case_kebab_name()
    {
        Assert.Equal(
            ["provisioning", "burn-in", "available", "cordoned", "draining", "quarantined", "repair", "rma", "decommissioned"],
            Enum.GetValues<LifecycleState>().Select(LifecycleActions.StateName));
    }
}
