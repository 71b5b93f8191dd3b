using NeoCloud.Health.Detection;
using NeoCloud.Health.Signals;

namespace NeoCloud.Health.Tests.Detection;

public sealed class StragglerDetectionTests
{
    private const long Gang = 1001;
    private const long HealthyGang = 1002;

    [Fact]
    public void The_slow_gpu_of_an_eight_gpu_gang_is_a_straggler_once_and_its_healthy_peers_are_not()
    {
        var rig = new DetectionRig();
        AssignGang(rig.Frame, node: 0, Gang);
        AssignGang(rig.Frame, node: 1, HealthyGang);
        int slow = rig.Topology.GpuOffsets[0] + 6;
        rig.Round();

        var raised = rig.Rounds(10, f => Straggle(f, slow));

        var finding = Assert.Single(raised);
        Assert.Equal("STRAGGLER", finding.Code);
        Assert.Equal(rig.Topology.Gpus[slow].Id.Value, finding.Component.Id);
        Assert.Equal(Gang, finding.Work);
        Assert.False(finding.Fatal);
        Assert.Equal(1980, Assert.Single(finding.Evidence, e => e.Signal == "gang_median_sm_clock_mhz").Value);
        Assert.Contains("8-GPU gang", finding.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void A_gang_spread_over_two_nodes_is_compared_as_one()
    {
        var rig = new DetectionRig();
        var frame = rig.Frame;
        for (int g = rig.Topology.GpuOffsets[4] + 4; g < rig.Topology.GpuOffsets[5] + 4; g++)
        {
            frame.WorkOfGpu[g] = Gang;
        }

        int slow = rig.Topology.GpuOffsets[5] + 1;

        var raised = rig.Rounds(3, f => f.Gpus[slow].UtilPercent = 40);

        Assert.Equal(rig.Topology.Gpus[slow].Id.Value, Assert.Single(raised).Component.Id);
    }

    [Fact]
    public void Gangs_interleaved_gpu_by_gpu_are_told_apart()
    {
        var rig = new DetectionRig();
        int first = rig.Topology.GpuOffsets[6];
        for (int g = first; g < first + 16; g++)
        {
            rig.Frame.WorkOfGpu[g] = g % 2 == 0 ? Gang : HealthyGang;
        }

        // The other gang runs at half the clock throughout: mixed with the first it would look like eight stragglers.
        int slow = first + 4;
        var raised = rig.Rounds(3, f =>
        {
            Straggle(f, slow);
            for (int g = first + 1; g < first + 16; g += 2)
            {
                f.Gpus[g].SmClockMhz = 1000;
            }
        });

        Assert.Equal(rig.Topology.Gpus[slow].Id.Value, Assert.Single(raised).Component.Id);
        Assert.Equal(Gang, raised[0].Work);
    }

    [Fact]
    public void A_healthy_gang_and_one_slow_round_raise_nothing()
    {
        var rig = new DetectionRig();
        AssignGang(rig.Frame, node: 0, Gang);
        AssignGang(rig.Frame, node: 1, HealthyGang);
        int slow = rig.Topology.GpuOffsets[0] + 2;

        var raised = rig.Rounds(5, f => f.Gpus[rig.Topology.GpuOffsets[1] + 3].SmClockMhz = 1900);
        raised.AddRange(rig.Round(f => Straggle(f, slow)));
        raised.AddRange(rig.Rounds(3));

        Assert.Empty(raised);
    }

    [Fact]
    public void A_gang_smaller_than_the_minimum_has_no_straggler()
    {
        var rig = new DetectionRig(new DetectionOptions { StragglerMinPeers = 4 });
        int first = rig.Topology.GpuOffsets[2];
        for (int g = first; g < first + 3; g++)
        {
            rig.Frame.WorkOfGpu[g] = Gang;
        }

        var raised = rig.Rounds(5, f => Straggle(f, first));

        Assert.Empty(raised);
    }

    [Fact]
    public void Work_moving_between_rounds_regroups_the_gangs()
    {
        var rig = new DetectionRig();
        AssignGang(rig.Frame, node: 0, Gang);
        int slow = rig.Topology.GpuOffsets[3] + 5;
        Assert.Empty(rig.Rounds(3, f => Straggle(f, slow)));

        AssignGang(rig.Frame, node: 3, HealthyGang);
        var raised = rig.Rounds(3, f => Straggle(f, slow));

        Assert.Equal(rig.Topology.Gpus[slow].Id.Value, Assert.Single(raised).Component.Id);
        Assert.Equal(HealthyGang, raised[0].Work);
    }

    internal static void AssignGang(SignalFrame frame, int node, long work)
    {
        for (int g = frame.Topology.GpuOffsets[node]; g < frame.Topology.GpuOffsets[node + 1]; g++)
        {
            frame.WorkOfGpu[g] = work;
        }
    }

    /// <summary>What the twin's straggler looks like: 60% of the clock, HW slowdown, a little less busy.</summary>
    private static void Straggle(SignalFrame frame, int gpu)
    {
        frame.Gpus[gpu].SmClockMhz = 1980 * 0.6f;
        frame.Gpus[gpu].ClockEventReasons = 0x8;
        frame.Gpus[gpu].UtilPercent = 88;
    }
}
