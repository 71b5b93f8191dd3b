using NeoCloud.Health.Catalog;
using NeoCloud.Health.Detection;
using NeoCloud.Health.Findings;
using NeoCloud.Health.Signals;
using NeoCloud.Telemetry.Dcgm;

namespace NeoCloud.Health.Tests.Detection;

public sealed class DetectionEngineTests
{
    [Fact]
    public void Observing_a_normal_round_on_a_warm_engine_allocates_nothing()
    {
        var rig = new DetectionRig(topology: DetectionRig.MediumFleet);
        for (int node = 0; node < rig.Topology.Nodes.Count - 4; node++)
        {
            // Gangs of one and two nodes, and four idle nodes at the end.
            StragglerDetectionTests.AssignGang(rig.Frame, node, 100 + (node / 2));
        }

        long counter = 0;
        void Busy(SignalFrame f)
        {
            counter += 1;
            for (int g = 0; g < f.Gpus.Length; g++)
            {
                f.Gpus[g].EccSbeVolatile = counter / 4; // 30 an hour: counting, under the threshold
                f.Gpus[g].SmClockMhz = 1900 + (g % 80);
            }

            for (int p = 0; p < f.Ports.Length; p++)
            {
                f.Ports[p].SymbolErrors = counter / 10;
            }
        }

        Assert.Empty(rig.Rounds(20, Busy));
        rig.Interval = TimeSpan.FromMinutes(5); // crosses the symbol-error buckets too
        Assert.Empty(rig.Rounds(3, Busy));
        rig.Interval = TimeSpan.FromSeconds(30);
        var at = rig.At;
        rig.Frame.Begin(at);
        Busy(rig.Frame);

        long allocated = 0;
        for (int r = 0; r < 5; r++)
        {
            rig.Frame.Begin(at += TimeSpan.FromSeconds(30));

            // Work moving between rounds makes the straggler detector regroup (sort) in place.
            StragglerDetectionTests.AssignGang(rig.Frame, rig.Topology.Nodes.Count - 1, r % 2 == 0 ? 500 : 0);
            for (int n = 0; n < rig.Topology.Nodes.Count; n++)
            {
                rig.Frame.NodeAnswered[n] = true;
            }

            for (int g = 0; g < rig.Frame.Gpus.Length; g++)
            {
                rig.Frame.Gpus[g].Present = true;
            }

            for (int p = 0; p < rig.Frame.Ports.Length; p++)
            {
                rig.Frame.Ports[p].Present = true;
            }

            long before = GC.GetAllocatedBytesForCurrentThread();
            rig.Engine.Observe(rig.Frame, rig);
            allocated += GC.GetAllocatedBytesForCurrentThread() - before;
        }

        Assert.Empty(rig.All);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Readings_parsed_from_a_dcgm_page_reach_the_detectors_through_the_filler()
    {
        var rig = new DetectionRig();
        int node = 2;
        var uuid = rig.Topology.Gpus[rig.Topology.GpuOffsets[node] + 4].Uuid;
        string host = rig.Topology.Nodes[node].Hostname;
        List<GpuReading> Page(int xid, long dbe) =>
        [
            new(4, uuid, host, "H100", DcgmField.GpuTemp, 61),
            new(4, uuid, host, "H100", DcgmField.SmClock, 1980),
            new(4, uuid, host, "H100", DcgmField.XidErrors, xid),
            new(4, uuid, host, "H100", DcgmField.EccDbeVolTotal, dbe),
            new(4, uuid, host, "H100", DcgmField.EccDbeVolTotal, dbe) { MigInstanceId = 1 },
        ];

        rig.Round(f => SignalFrameFiller.FillGpus(f, node, Page(0, 0)));
        var raised = rig.Round(f => SignalFrameFiller.FillGpus(f, node, Page(48, 2)));

        Assert.Equal(["ECC-DBE", "XID-48"], raised.Select(r => r.Code).Order(StringComparer.Ordinal));
        Assert.All(raised, r => Assert.Equal(rig.Topology.Gpus[rig.Topology.GpuOffsets[node] + 4].Id.Value, r.Component.Id));
    }

    [Fact]
    public void Finding_ids_are_unique_and_sort_by_time()
    {
        var rig = new DetectionRig(topology: DetectionRig.MediumFleet);
        rig.Round();
        for (int r = 0; r < 30; r++)
        {
            rig.Round(f =>
            {
                for (int g = 0; g < 8; g++)
                {
                    f.Gpus[(r * 8) + g].Xid = 79;
                }
            });
        }

        var ids = rig.All.Select(f => f.Id).ToList();
        Assert.Equal(240, ids.Count);
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(rig.All.OrderBy(f => f.DetectedAt).Select(f => f.Id), ids.Order(StringComparer.Ordinal));
        Assert.Equal(ids, ids.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Two_engines_with_the_same_seed_make_the_same_ids()
    {
        var a = new DetectionRig();
        var b = new DetectionRig();
        a.Round();
        b.Round();

        a.Round(f => f.Gpus[0].Xid = 79);
        b.Round(f => f.Gpus[0].Xid = 79);

        Assert.Equal(a.All[0].Id, b.All[0].Id);
    }

    [Fact]
    public void A_round_that_is_not_after_the_last_one_is_rejected()
    {
        var rig = new DetectionRig();
        rig.Round();

        var ex = Assert.Throws<ArgumentException>(() => rig.Engine.Observe(rig.Frame, rig));

        Assert.Contains("not after the last observed round", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_frame_of_another_fleet_is_rejected()
    {
        var engine = new DetectionEngine(DetectionRig.SmallFleet, FaultCatalog.Default, new DetectionOptions());
        var frame = new SignalFrame(DetectionRig.MediumFleet);
        frame.Begin(DetectionRig.Start);

        var ex = Assert.Throws<ArgumentException>(() => engine.Observe(frame, new DetectionRig()));

        Assert.Contains("detection-10", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("raise")]
    [InlineData("clear")]
    [InlineData("ratio")]
    [InlineData("peers")]
    [InlineData("threshold")]
    public void Bad_options_are_rejected_naming_the_option(string bad)
    {
        var options = bad switch
        {
            "raise" => new DetectionOptions { RaiseAfterRounds = 0 },
            "clear" => new DetectionOptions { ClearAfterRounds = -1 },
            "ratio" => new DetectionOptions { StragglerRatio = 1.5 },
            "peers" => new DetectionOptions { StragglerMinPeers = 1 },
            _ => new DetectionOptions { SbePerHour = double.NaN },
        };

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new DetectionEngine(DetectionRig.SmallFleet, FaultCatalog.Default, options));

        Assert.Contains("DetectionOptions.", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_finding_carries_evidence_a_summary_and_its_node()
    {
        var rig = new DetectionRig();
        rig.Round();
        rig.Rounds(3, f =>
        {
            f.Gpus[0].Xid = 79;
            f.Gpus[1].GpuTempC = 99;
            f.Gpus[2].ClockEventReasons = 0x80;
            f.Ports[0].Up = false;
            DetectionRig.Silence(f, 7);
        });

        Assert.Equal(5, rig.All.Count);
        Assert.All(rig.All, f =>
        {
            Assert.NotEmpty(f.Evidence);
            Assert.False(string.IsNullOrWhiteSpace(f.Summary));
            Assert.NotNull(f.Node);
            Assert.True(f.FirstSeenAt <= f.DetectedAt);
            Assert.Equal(FaultCatalog.Default.Get(f.Code).Severity, f.Severity);
        });
    }
}
