using NeoCloud.Health.Catalog;
using NeoCloud.Health.Findings;

namespace NeoCloud.Health.Tests.Detection;

public sealed class GpuSignalDetectionTests
{
    [Fact]
    public void A_fatal_xid_raises_one_finding_at_once_with_the_catalogue_severity_and_its_evidence()
    {
        var rig = new DetectionRig();
        rig.Round();
        rig.Frame.WorkOfGpu[3] = 77;

        var raised = rig.Round(f => f.Gpus[3].Xid = 79);

        var finding = Assert.Single(raised);
        Assert.Equal("XID-79", finding.Code);
        Assert.True(finding.Fatal);
        Assert.Equal(FaultCatalog.Default.Xid(79).Severity, finding.Severity);
        Assert.Equal(new ComponentRef(ComponentKind.Gpu, rig.Topology.Gpus[3].Id.Value), finding.Component);
        Assert.Equal(rig.Topology.Nodes[0].Id.Value, finding.Node);
        Assert.Equal(77, finding.Work);
        Assert.Equal(rig.At, finding.FirstSeenAt);
        Assert.Equal(rig.At, finding.DetectedAt);
        Assert.StartsWith("fnd-", finding.Id, StringComparison.Ordinal);
        Assert.Contains(finding.Evidence, e => e.Signal == "xid" && e.Value == 79 && e.At == rig.At);
        Assert.Contains(finding.Evidence, e => e.Signal == "xid" && e.Value == 0);
    }

    [Fact]
    public void A_sticky_xid_is_one_event_not_one_per_scrape()
    {
        var rig = new DetectionRig();
        rig.Round();

        var raised = rig.Rounds(20, f => f.Gpus[5].Xid = 79);

        Assert.Single(raised);
    }

    [Fact]
    public void A_burst_of_xids_within_three_minutes_is_one_finding()
    {
        var rig = new DetectionRig();
        rig.Round();
        var raised = new List<Finding>();

        raised.AddRange(rig.Round(f => f.Gpus[0].Xid = 13));
        raised.AddRange(rig.Rounds(2, f => f.Gpus[0].Xid = 31));
        raised.AddRange(rig.Rounds(3, f => f.Gpus[0].Xid = 13));
        raised.AddRange(rig.Round(f => f.Gpus[0].Xid = 43));

        var finding = Assert.Single(raised);
        Assert.Equal("XID-13", finding.Code);
    }

    [Fact]
    public void A_more_severe_xid_inside_a_burst_raises_a_second_finding_dated_from_the_burst()
    {
        var rig = new DetectionRig();
        rig.Round();
        var first = Assert.Single(rig.Round(f => f.Gpus[0].Xid = 13));

        var second = Assert.Single(rig.Round(f => f.Gpus[0].Xid = 79));
        Assert.Empty(rig.Round(f => f.Gpus[0].Xid = 13));

        Assert.Equal("XID-79", second.Code);
        Assert.True(second.Fatal);
        Assert.Equal(first.FirstSeenAt, second.FirstSeenAt);
    }

    [Fact]
    public void A_new_xid_four_minutes_after_the_last_one_starts_a_new_burst()
    {
        var rig = new DetectionRig();
        rig.Round();
        Assert.Single(rig.Round(f => f.Gpus[0].Xid = 13));

        rig.Interval = TimeSpan.FromMinutes(4);
        var raised = rig.Round(f => f.Gpus[0].Xid = 31);

        Assert.Equal("XID-31", Assert.Single(raised).Code);
    }

    [Fact]
    public void Xids_two_minutes_apart_keep_one_burst_going_longer_than_three_minutes()
    {
        var rig = new DetectionRig { Interval = TimeSpan.FromMinutes(2) };
        rig.Round();

        var raised = rig.Round(f => f.Gpus[0].Xid = 13);
        for (int r = 0; r < 5; r++)
        {
            raised.AddRange(rig.Round(f => f.Gpus[0].Xid = r % 2 == 0 ? 31 : 13));
        }

        Assert.Single(raised);
    }

    [Fact]
    public void An_ecc_dbe_rise_is_raised_at_once_and_a_storm_is_one_episode()
    {
        var rig = new DetectionRig();
        rig.Round();
        long dbe = 0;

        var first = rig.Round(f => f.Gpus[9].EccDbeVolatile = ++dbe);
        var storm = rig.Rounds(10, f => f.Gpus[9].EccDbeVolatile = ++dbe);

        var finding = Assert.Single(first);
        Assert.Equal("ECC-DBE", finding.Code);
        Assert.True(finding.Fatal);
        Assert.Contains(finding.Evidence, e => e.Signal == "ecc_dbe_volatile" && e.Value == 0);
        Assert.Contains(finding.Evidence, e => e.Signal == "ecc_dbe_volatile" && e.Value == 1);
        Assert.Empty(storm);
    }

    [Fact]
    public void An_ecc_dbe_rise_after_the_episode_cleared_is_a_new_finding()
    {
        var rig = new DetectionRig();
        rig.Round();
        Assert.Single(rig.Round(f => f.Gpus[9].EccDbeVolatile = 1));
        Assert.Empty(rig.Rounds(rig.Engine.Options.ClearAfterRounds, f => f.Gpus[9].EccDbeVolatile = 1));

        Assert.Single(rig.Round(f => f.Gpus[9].EccDbeVolatile = 2));
    }

    [Fact]
    public void Counter_resets_raise_nothing_and_rebaseline()
    {
        var rig = new DetectionRig();
        rig.Round(f =>
        {
            f.Gpus[2].EccDbeVolatile = 40;
            f.Gpus[2].EccSbeVolatile = 100_000;
            f.Gpus[2].PcieReplays = 5_000;
            f.Gpus[2].NvlinkCrcErrors = 9_000;
            f.Gpus[2].NvlinkReplays = 9_000;
        });

        var raised = rig.Rounds(6, f =>
        {
            f.Gpus[2].EccDbeVolatile = 0;
            f.Gpus[2].EccSbeVolatile = 0;
            f.Gpus[2].PcieReplays = 0;
            f.Gpus[2].NvlinkCrcErrors = 0;
            f.Gpus[2].NvlinkReplays = 0;
        });

        Assert.Empty(raised);
        Assert.Equal("ECC-DBE", Assert.Single(rig.Round(f => f.Gpus[2].EccDbeVolatile = 1)).Code);
    }

    [Fact]
    public void Absent_samples_raise_nothing_and_keep_the_previous_values()
    {
        var rig = new DetectionRig();
        rig.Round(f => f.Gpus[4].EccDbeVolatile = 3);

        var absent = rig.Rounds(5, f =>
        {
            f.Gpus[4].Present = false;
            f.Gpus[4].EccDbeVolatile = 0;
            f.Gpus[4].Xid = 0;
        });
        var back = rig.Rounds(3, f => f.Gpus[4].EccDbeVolatile = 3);

        Assert.Empty(absent);
        Assert.Empty(back);
    }

    [Fact]
    public void One_thermal_spike_raises_nothing()
    {
        var rig = new DetectionRig();
        rig.Round();

        var raised = rig.Round(f => f.Gpus[1].ClockEventReasons = 0x40);
        raised.AddRange(rig.Rounds(5));
        raised.AddRange(rig.Round(f => f.Gpus[1].GpuTempC = 95));
        raised.AddRange(rig.Rounds(5));

        Assert.Empty(raised);
    }

    [Fact]
    public void Sustained_thermal_slowdown_raises_one_finding_dated_from_its_first_round()
    {
        var rig = new DetectionRig();
        rig.Round();
        rig.Round(f => f.Gpus[1].ClockEventReasons = 0x40 | 0x8);
        var onset = rig.At;

        var raised = rig.Rounds(10, f => f.Gpus[1].ClockEventReasons = 0x40 | 0x8);

        var finding = Assert.Single(raised);
        Assert.Equal("THERMAL-THROTTLE", finding.Code);
        Assert.False(finding.Fatal);
        Assert.Equal(onset, finding.FirstSeenAt);
        Assert.Equal(onset + rig.Interval, finding.DetectedAt);
    }

    [Theory]
    [InlineData("gpu-temp")]
    [InlineData("memory-temp")]
    [InlineData("sw-thermal")]
    public void Every_thermal_signal_over_its_limit_for_long_enough_is_a_thermal_finding(string signal)
    {
        var rig = new DetectionRig();
        rig.Round();

        var raised = rig.Rounds(3, f =>
        {
            switch (signal)
            {
                case "gpu-temp": f.Gpus[6].GpuTempC = 91; break;
                case "memory-temp": f.Gpus[6].MemoryTempC = 99; break;
                default: f.Gpus[6].ClockEventReasons = 0x20; break;
            }
        });

        Assert.Equal("THERMAL-THROTTLE", Assert.Single(raised).Code);
    }

    [Fact]
    public void A_thermal_episode_ends_after_enough_normal_rounds_and_a_new_one_is_raised_again()
    {
        var rig = new DetectionRig();
        var options = rig.Engine.Options;
        Assert.Single(rig.Rounds(3, f => f.Gpus[1].GpuTempC = 95));
        Assert.Empty(rig.Rounds(options.ClearAfterRounds - 1));
        Assert.Empty(rig.Rounds(3, f => f.Gpus[1].GpuTempC = 95));
        Assert.Empty(rig.Rounds(options.ClearAfterRounds));

        Assert.Single(rig.Rounds(3, f => f.Gpus[1].GpuTempC = 95));
    }

    [Fact]
    public void Sustained_power_brake_is_a_power_finding()
    {
        var rig = new DetectionRig();
        rig.Round();

        var raised = rig.Rounds(4, f => f.Gpus[7].ClockEventReasons = 0x80);

        Assert.Equal("POWER-BRAKE", Assert.Single(raised).Code);
    }

    [Fact]
    public void A_fast_sbe_rate_is_raised_after_the_debounce_and_a_slow_one_is_not()
    {
        var rig = new DetectionRig();
        long fast = 0;
        int round = 0;
        rig.Round();

        var raised = rig.Rounds(10, f =>
        {
            f.Gpus[10].EccSbeVolatile = fast += 5; // 600 per hour
            f.Gpus[11].EccSbeVolatile = ++round / 3; // one error every third round: never two rounds in a row over 100 per hour
        });

        var finding = Assert.Single(raised);
        Assert.Equal("ECC-SBE-RATE", finding.Code);
        Assert.Equal(rig.Topology.Gpus[10].Id.Value, finding.Component.Id);
        var rate = Assert.Single(finding.Evidence, e => e.Signal == "ecc_sbe_volatile_per_hour");
        Assert.Equal(600, rate.Value, 3);
        Assert.Equal(100, rate.Threshold);
    }

    [Theory]
    [InlineData("PCIE-REPLAY-RATE")]
    [InlineData("NVLINK-CRC-RATE")]
    [InlineData("NVLINK-REPLAY-RATE")]
    public void Fast_pcie_and_nvlink_error_rates_are_raised_once(string code)
    {
        var rig = new DetectionRig();
        long count = 0;
        rig.Round();

        var raised = rig.Rounds(8, f =>
        {
            count += 1_000; // 2,000 per minute at 30 s rounds
            switch (code)
            {
                case "PCIE-REPLAY-RATE": f.Gpus[12].PcieReplays = count; break;
                case "NVLINK-CRC-RATE": f.Gpus[12].NvlinkCrcErrors = count; break;
                default: f.Gpus[12].NvlinkReplays = count; break;
            }
        });

        Assert.Equal(code, Assert.Single(raised).Code);
    }

    [Fact]
    public void A_row_remap_failure_is_raised_at_once_and_a_pending_remap_after_the_debounce()
    {
        var rig = new DetectionRig();
        rig.Round();

        var failure = rig.Round(f => f.Gpus[0].RowRemapFailure = true);
        var pendingFirst = rig.Round(f => f.Gpus[1].RowRemapPending = true);
        var pendingSecond = rig.Rounds(5, f => f.Gpus[1].RowRemapPending = true);

        Assert.Equal("ROW-REMAP-FAILURE", Assert.Single(failure).Code);
        Assert.Empty(pendingFirst);
        Assert.Equal("ROW-REMAP-PENDING", Assert.Single(pendingSecond).Code);
    }
}
