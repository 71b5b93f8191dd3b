using NeoCloud.Health.Findings;

namespace NeoCloud.Health.Tests.Detection;

public sealed class PortDetectionTests
{
    [Fact]
    public void A_port_that_goes_down_is_raised_at_once_and_once_per_episode()
    {
        var rig = new DetectionRig();
        rig.Round();
        int port = rig.Frame.PortOffsets[2] + 5;
        rig.Frame.WorkOfGpu[rig.Topology.GpuOffsets[2] + 1] = 42;

        var raised = rig.Rounds(6, f =>
        {
            f.Ports[port].Up = false;
            f.Ports[port].LinkDowned = 1;
        });

        var finding = Assert.Single(raised);
        Assert.Equal("IB-LINK-DOWNED", finding.Code);
        Assert.True(finding.Fatal);
        Assert.Equal(new ComponentRef(ComponentKind.Port, rig.Topology.Nodes[2].Id.Value + "/mlx5_5"), finding.Component);
        Assert.Equal(rig.Topology.Nodes[2].Id.Value, finding.Node);
        Assert.Equal(42, finding.Work);
    }

    [Fact]
    public void A_link_down_episode_ends_once_the_port_is_up_and_the_counter_stopped_rising()
    {
        var rig = new DetectionRig();
        rig.Round();
        Assert.Single(rig.Round(f => f.Ports[0].Up = false));
        Assert.Empty(rig.Rounds(rig.Engine.Options.ClearAfterRounds));

        var again = rig.Round(f => f.Ports[0].LinkDowned = 1);

        Assert.Equal("IB-LINK-DOWNED", Assert.Single(again).Code);
        Assert.Contains(again[0].Evidence, e => e.Signal == "link_downed" && e.Value == 1);
    }

    [Theory]
    [InlineData("IB-LINK-INTEGRITY")]
    [InlineData("IB-BUFFER-OVERRUN")]
    [InlineData("IB-RNR-NAK-RETRY")]
    public void Fatal_port_counters_are_raised_on_any_rise(string code)
    {
        var rig = new DetectionRig();
        rig.Round();

        var raised = rig.Rounds(3, f =>
        {
            switch (code)
            {
                case "IB-LINK-INTEGRITY": f.Ports[9].LocalLinkIntegrityErrors = 1; break;
                case "IB-BUFFER-OVERRUN": f.Ports[9].ExcessiveBufferOverrunErrors = 1; break;
                default: f.Ports[9].RnrNakRetryErrors = 1; break;
            }
        });

        var finding = Assert.Single(raised);
        Assert.Equal(code, finding.Code);
        Assert.Equal(rig.At - (2 * rig.Interval), finding.DetectedAt);
    }

    [Fact]
    public void More_than_120_symbol_errors_within_an_hour_are_fatal_even_at_a_low_rate()
    {
        var rig = new DetectionRig { Interval = TimeSpan.FromMinutes(1) };
        long symbols = 0;
        rig.Round();

        var raised = rig.Rounds(40, f => f.Ports[3].SymbolErrors = symbols += 4); // 160 in 40 minutes, far under 10/s

        var finding = Assert.Single(raised);
        Assert.Equal("IB-SYMBOL-ERROR-HOURLY", finding.Code);
        Assert.Equal(124, Assert.Single(finding.Evidence, e => e.Signal == "symbol_error_last_hour").Value);
    }

    [Fact]
    public void Symbol_errors_spread_thinner_than_120_an_hour_raise_nothing()
    {
        var rig = new DetectionRig { Interval = TimeSpan.FromMinutes(1) };
        long symbols = 0;
        rig.Round();

        var raised = rig.Rounds(300, f => f.Ports[3].SymbolErrors = symbols += 1); // 60 an hour for five hours

        Assert.Empty(raised);
    }

    [Fact]
    public void One_burst_of_receive_errors_raises_nothing_and_a_sustained_rate_raises_one_finding()
    {
        var rig = new DetectionRig();
        long errors = 0;
        rig.Round();

        var spike = rig.Round(f => f.Ports[1].PortRcvErrors = errors += 3_000);
        spike.AddRange(rig.Rounds(3));
        var sustained = rig.Rounds(6, f => f.Ports[1].PortRcvErrors = errors += 3_000); // 100/s

        Assert.Empty(spike);
        var finding = Assert.Single(sustained);
        Assert.Equal("IB-RCV-ERRORS", finding.Code);
        Assert.False(finding.Fatal);
        Assert.Equal(100, Assert.Single(finding.Evidence, e => e.Signal == "port_rcv_errors_per_second").Value, 3);
    }

    [Fact]
    public void A_port_degraded_three_times_within_an_hour_is_a_part_to_replace_and_twice_is_not()
    {
        var rig = new DetectionRig();
        long errors = 0;
        rig.Round();

        List<Finding> Episode()
        {
            var raised = rig.Rounds(3, f => f.Ports[2].PortRcvErrors = errors += 3_000);
            raised.AddRange(rig.Rounds(6)); // quiet long enough for the episode to end
            return raised;
        }

        var first = Episode();
        var second = Episode();
        var third = Episode();

        Assert.Equal(["IB-RCV-ERRORS"], first.Select(f => f.Code));
        Assert.Equal(["IB-RCV-ERRORS"], second.Select(f => f.Code));
        Assert.Equal(["IB-RCV-ERRORS", "IB-PORT-DEGRADED-REPEATEDLY"], third.Select(f => f.Code));
        var repeated = third[1];
        Assert.True(repeated.Fatal);
        Assert.Equal(first[0].DetectedAt, repeated.FirstSeenAt);
        Assert.Equal(3, repeated.Evidence.Count);
    }

    [Theory]
    [InlineData("IB-SYMBOL-ERROR-RATE")]
    [InlineData("IB-LINK-ERROR-RECOVERY")]
    [InlineData("IB-XMIT-DISCARDS")]
    public void Sustained_port_error_rates_over_the_nvsentinel_thresholds_are_raised(string code)
    {
        var rig = new DetectionRig();
        long count = 0;
        rig.Round();

        var raised = rig.Rounds(4, f =>
        {
            switch (code)
            {
                case "IB-SYMBOL-ERROR-RATE": f.Ports[2].SymbolErrors = count += 600; break; // 20/s
                case "IB-LINK-ERROR-RECOVERY": f.Ports[2].LinkErrorRecovery = count += 5; break; // 10/min
                default: f.Ports[2].PortXmitDiscards = count += 6_000; break; // 200/s
            }
        });

        Assert.Contains(raised, r => r.Code == code);
        Assert.Single(raised, r => r.Code == code);
    }

    [Fact]
    public void Port_counter_resets_and_absent_ports_raise_nothing()
    {
        var rig = new DetectionRig();
        rig.Round(f =>
        {
            f.Ports[4].LinkDowned = 3;
            f.Ports[4].LocalLinkIntegrityErrors = 8;
            f.Ports[4].SymbolErrors = 90_000;
            f.Ports[4].PortRcvErrors = 90_000;
        });

        var raised = rig.Rounds(3, f => f.Ports[4] = f.Ports[4] with { Present = true, Up = true, LinkDowned = 0, LocalLinkIntegrityErrors = 0, SymbolErrors = 0, PortRcvErrors = 0 });
        raised.AddRange(rig.Rounds(3, f => f.Ports[4].Present = false));

        Assert.Empty(raised);
    }
}
