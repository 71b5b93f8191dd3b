using NeoCloud.Fleet.Spec;
using NeoCloud.Health.Signals;
using NeoCloud.Server.Health;
using NeoCloud.Simulator.Faults;
using NeoCloud.Simulator.Twin;

namespace NeoCloud.Server.Tests.Health;

public sealed class JobReportInboxTests
{
    [Fact]
    public void A_collective_timeout_the_twin_raises_becomes_a_report_of_the_job_that_ran_on_the_gpu()
    {
        var twin = new FleetTwin(FleetGenerator.Generate(DefaultFleet.ScaledTo(20)), 3, new SimulationOptions { SyntheticLoad = false, RandomFaults = false });
        using var inbox = new JobReportInbox(twin);
        var gpu = twin.Topology.Gpus[9];

        twin.Inject(new FaultRequest(FaultKind.NcclTimeout, gpu.Id.Value));
        var frame = new SignalFrame(twin.Topology);
        frame.WorkOfGpu[9] = 42;
        var reports = new List<JobReport>();
        inbox.Drain(frame, work => work == 42 ? "job-llama" : null, reports);

        var report = Assert.Single(reports);
        Assert.Equal(JobReportKind.CollectiveTimeout, report.Kind);
        Assert.Equal(42, report.Work);
        Assert.Equal("job-llama", report.JobName);
        Assert.Contains(gpu.Id, report.Gpus);
        Assert.Equal(0, inbox.Pending);

        reports.Clear();
        inbox.Drain(frame, _ => null, reports);
        Assert.Empty(reports);
    }
}
