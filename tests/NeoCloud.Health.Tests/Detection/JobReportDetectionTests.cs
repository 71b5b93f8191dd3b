using NeoCloud.Health.Findings;
using NeoCloud.Health.Signals;
using NeoCloud.Kernel.Ids;

namespace NeoCloud.Health.Tests.Detection;

public sealed class JobReportDetectionTests
{
    [Fact]
    public void A_collective_timeout_points_at_the_job_and_names_its_gpus()
    {
        var rig = new DetectionRig();
        var gpus = rig.Topology.Gpus.Take(16).Select(g => g.Id).ToList();
        var report = new JobReport(DetectionRig.Start, JobReportKind.CollectiveTimeout, 55, "train-llm", gpus, null, "NCCL watchdog: allreduce timed out after 600 s");

        rig.Engine.ObserveJobReport(report, rig);

        var finding = Assert.Single(rig.All);
        Assert.Equal("NCCL-TIMEOUT", finding.Code);
        Assert.Equal(new ComponentRef(ComponentKind.Job, "train-llm"), finding.Component);
        Assert.Null(finding.Node);
        Assert.Equal(55, finding.Work);
        Assert.Equal(DetectionRig.Start, finding.FirstSeenAt);
        Assert.All(gpus, g => Assert.Contains(finding.Evidence, e => e.Component == g.Value));
    }

    [Fact]
    public void A_numeric_anomaly_points_at_the_gpu_the_job_blames_or_else_at_the_job()
    {
        var rig = new DetectionRig();
        var gpus = rig.Topology.Gpus.Skip(8).Take(8).Select(g => g.Id).ToList();

        rig.Engine.ObserveJobReport(new JobReport(DetectionRig.Start, JobReportKind.NumericAnomaly, 7, "ft", gpus, gpus[3], "replica checksum mismatch"), rig);
        rig.Engine.ObserveJobReport(new JobReport(DetectionRig.Start, JobReportKind.NumericAnomaly, 7, "ft", gpus, null, "loss is NaN"), rig);

        Assert.Equal(2, rig.All.Count);
        Assert.Equal(new ComponentRef(ComponentKind.Gpu, gpus[3].Value), rig.All[0].Component);
        Assert.Equal(rig.Topology.Nodes[1].Id.Value, rig.All[0].Node);
        Assert.True(rig.All[0].Fatal);
        Assert.Equal(new ComponentRef(ComponentKind.Job, "ft"), rig.All[1].Component);
        Assert.NotEqual(rig.All[0].Id, rig.All[1].Id);
    }

    [Fact]
    public void A_report_that_blames_a_gpu_outside_the_fleet_is_rejected_with_a_clear_error()
    {
        var rig = new DetectionRig();
        var stranger = new GpuId("nowhere-n01/gpu0");

        var ex = Assert.Throws<ArgumentException>(() => rig.Engine.ObserveJobReport(
            new JobReport(DetectionRig.Start, JobReportKind.NumericAnomaly, 7, "ft", [stranger], stranger, "NaN"), rig));

        Assert.Contains("nowhere-n01/gpu0", ex.Message, StringComparison.Ordinal);
    }
}
