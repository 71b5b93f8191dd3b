using NeoCloud.Health.Remediation;

namespace NeoCloud.Health.Tests.Remediation;

public sealed class SafetyBudgetTests
{
    [Fact]
    public void The_tighter_of_the_count_and_the_fraction_limits_each_scope_and_a_domain_always_admits_one()
    {
        var topology = RemediationFleet.Topology;
        var rack = RemediationFleet.Rack(0);
        var budget = new SafetyBudget(topology, new RemediationPolicy { MaxDomainNodes = 3, MaxDomainFraction = 0.25, MaxClusterNodes = 50, MaxClusterFraction = 0.05 });

        Assert.Equal(2, budget.Limit($"rack:{rack[0].Rack.Value}"));
        Assert.Equal(1, budget.Limit($"site:{rack[0].Site.Value}"));
        var tiny = new SafetyBudget(topology, new RemediationPolicy { MaxDomainFraction = 0.01 });
        Assert.Equal(1, tiny.Limit($"pdu:{rack[0].Pdu.Value}"));
    }

    [Fact]
    public void A_node_already_held_costs_nothing_more_and_a_new_one_past_the_limit_is_refused_with_the_scope()
    {
        var rack = RemediationFleet.Rack(0);
        var budget = new SafetyBudget(RemediationFleet.Topology, new RemediationPolicy { MaxDomainNodes = 2, MaxClusterFraction = 0.5 });
        var held = new HashSet<string> { rack[0].Id.Value, rack[1].Id.Value };

        Assert.True(budget.Admits(held, [rack[0].Id.Value], out _));
        Assert.False(budget.Admits(held, [rack[2].Id.Value], out string why));
        Assert.StartsWith("rack:", why, StringComparison.Ordinal);
        Assert.True(budget.Admits(held, [RemediationFleet.Rack(2)[0].Id.Value], out _));
        Assert.Null(budget.Exceeded(held));
        Assert.NotNull(budget.Exceeded(new HashSet<string>(held) { rack[2].Id.Value }));
    }

    [Fact]
    public void A_fraction_outside_zero_to_one_is_refused()
    {
        var ex = Assert.Throws<ArgumentException>(() => new SafetyBudget(RemediationFleet.Topology, new RemediationPolicy { MaxDomainFraction = 1.5 }));
        Assert.Contains("MaxDomainFraction", ex.Message, StringComparison.Ordinal);
    }
}
