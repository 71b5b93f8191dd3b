using NeoCloud.Workloads.Control;

namespace NeoCloud.Workloads.Tests.Control;

public sealed class PreemptionProtectionTests
{
    [Theory]
    [InlineData(1, 10)]
    [InlineData(2, 20)]
    [InlineData(3, 40)]
    [InlineData(5, 160)]
    [InlineData(9, 160)]
    public void An_attempt_is_protected_longer_the_more_often_the_job_was_interrupted(int attempt, int minutes)
    {
        Assert.Equal(TimeSpan.FromMinutes(minutes), JobController.Protection(TimeSpan.FromMinutes(10), attempt));
    }

    [Fact]
    public void No_guarantee_stays_no_guarantee()
    {
        Assert.Equal(TimeSpan.Zero, JobController.Protection(TimeSpan.Zero, 4));
    }
}
