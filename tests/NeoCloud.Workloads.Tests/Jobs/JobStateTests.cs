using NeoCloud.Workloads.Jobs;

namespace NeoCloud.Workloads.Tests.Jobs;

public sealed class JobStateTests
{
    [Fact]
    public void The_lifecycle_names_every_state_of_the_design()
    {
        Assert.Equal(
            ["Pending", "Admitted", "Placed", "Running", "Succeeded", "Failed", "Cancelled", "Preempted", "InfraFailed"],
            Enum.GetNames<JobState>());
    }
}
