using NeoCloud.Health.Remediation;

namespace NeoCloud.Health.Tests.Remediation;

public sealed class BreakerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Nodes_seen_again_count_once_and_nodes_older_than_the_window_drop_out()
    {
        var breaker = new Breaker("fleet", 10, 0.5, 100, TimeSpan.FromMinutes(5));

        Assert.False(breaker.Record(["a", "b", "c"], T0));
        Assert.False(breaker.Record(["a", "b"], T0.AddMinutes(1)));
        Assert.Equal(3, breaker.NodesInWindow);
        Assert.False(breaker.Record(["d", "e"], T0.AddMinutes(6)));
        Assert.Equal(4, breaker.NodesInWindow);
        Assert.False(breaker.IsOpen);
    }

    [Fact]
    public void It_trips_once_above_the_fraction_or_the_cap_and_a_reset_starts_an_empty_window()
    {
        var byFraction = new Breaker("region:euw1", 10, 0.5, 100, TimeSpan.FromMinutes(5));
        Assert.False(byFraction.Record(["a", "b", "c", "d", "e"], T0));
        Assert.True(byFraction.Record(["f"], T0));
        Assert.False(byFraction.Record(["g"], T0));
        Assert.True(byFraction.IsOpen);

        byFraction.Reset();
        Assert.False(byFraction.IsOpen);
        Assert.False(byFraction.Record(["a"], T0.AddMinutes(1)));

        var byCap = new Breaker("fleet", 1000, 0.5, 2, TimeSpan.FromMinutes(5));
        Assert.True(byCap.Record(["a", "b", "c"], T0));
    }
}
