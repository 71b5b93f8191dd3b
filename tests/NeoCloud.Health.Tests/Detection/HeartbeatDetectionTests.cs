using NeoCloud.Health.Findings;

namespace NeoCloud.Health.Tests.Detection;

public sealed class HeartbeatDetectionTests
{
    [Fact]
    public void A_node_that_misses_enough_rounds_is_raised_once_dated_from_its_first_missed_round()
    {
        var rig = new DetectionRig();
        rig.Round();
        rig.Frame.WorkOfGpu[rig.Topology.GpuOffsets[5] + 7] = 9;

        var first = rig.Round(f => DetectionRig.Silence(f, 5));
        var firstMissed = rig.At;
        var rest = rig.Rounds(5, f => DetectionRig.Silence(f, 5));

        Assert.Empty(first);
        var finding = Assert.Single(rest);
        Assert.Equal("HEARTBEAT-MISSING", finding.Code);
        Assert.Equal(rig.Topology.Nodes[5].Id.Value, finding.Component.Id);
        Assert.Equal(firstMissed, finding.FirstSeenAt);
        Assert.Equal(firstMissed + rig.Interval, finding.DetectedAt);
        Assert.Equal(9, finding.Work);
    }

    [Fact]
    public void A_single_missed_round_raises_nothing_and_a_node_that_answers_again_starts_afresh()
    {
        var rig = new DetectionRig();
        rig.Round();

        var raised = new List<Finding>();
        for (int r = 0; r < 10; r++)
        {
            raised.AddRange(rig.Round(f => DetectionRig.Silence(f, 3)));
            raised.AddRange(rig.Round());
        }

        Assert.Empty(raised);
        Assert.Single(rig.Rounds(2, f => DetectionRig.Silence(f, 3)));
        Assert.Empty(rig.Round());
        Assert.Single(rig.Rounds(2, f => DetectionRig.Silence(f, 3)));
    }

    [Fact]
    public void A_node_remediation_is_rebooting_is_expected_to_be_silent_and_raises_nothing()
    {
        var rig = new DetectionRig();
        rig.Round();

        var during = rig.Rounds(6, f =>
        {
            DetectionRig.Silence(f, 4);
            f.NodeInMaintenance[4] = true;
        });
        rig.Frame.NodeInMaintenance[4] = false;
        var after = rig.Rounds(2, f => DetectionRig.Silence(f, 4));

        Assert.Empty(during);
        var finding = Assert.Single(after);
        Assert.Equal(rig.Topology.Nodes[4].Id.Value, finding.Component.Id);
    }

    [Fact]
    public void A_node_that_never_answered_is_not_a_missing_heartbeat()
    {
        var rig = new DetectionRig();

        var raised = rig.Rounds(10, f => DetectionRig.Silence(f, 0));

        Assert.Empty(raised);
    }
}
