using NeoCloud.Kernel.Ids;
using NeoCloud.Simulator.Faults;
using NeoCloud.Simulator.Twin;

namespace NeoCloud.Simulator.Tests.Rendering;

public sealed class DcgmPageFormatTests
{
    private static readonly NodeId Node = new("euw1-dc1-r01-n01");

    [Fact]
    public void The_dcgm_page_is_well_formed_prometheus_text_with_dcgm_exporters_labels()
    {
        var twin = new FleetTwin(TestFleets.Small, 5, TestFleets.LoadOnly);
        twin.Step(TimeSpan.FromMinutes(15));
        twin.Inject(new FaultRequest(FaultKind.Xid, GpuId.Of(Node, 3).Value, Xid: 48));

        string page = PageReader.Render(twin, Node);

        PageReader.AssertWellFormed(page);
        var temps = PageReader.Samples(page, "DCGM_FI_DEV_GPU_TEMP");
        Assert.Equal(8, temps.Count);
        var first = temps[0];
        Assert.Equal(["gpu", "UUID", "pci_bus_id", "device", "modelName", "Hostname", "container", "namespace", "pod"], first.Labels.Keys);
        Assert.Equal("0", first.Labels["gpu"]);
        Assert.Equal("nvidia0", first.Labels["device"]);
        Assert.Equal("00000000:18:00.0", first.Labels["pci_bus_id"]);
        Assert.StartsWith("GPU-", first.Labels["UUID"]);
        Assert.Equal(Node.Value, first.Labels["Hostname"]);
        Assert.StartsWith("NVIDIA ", first.Labels["modelName"]);

        var xid = Assert.Single(PageReader.Samples(page, "DCGM_FI_DEV_XID_ERRORS"), s => s.Labels["gpu"] == "3");
        Assert.Equal(48, xid.Value);
        Assert.Equal("ROBUST_CHANNEL_GPU_ECC_DBE", xid.Labels["err_msg"]);
    }

    [Fact]
    public void The_page_has_every_family_the_fault_detectors_need()
    {
        var twin = new FleetTwin(TestFleets.Small, 5, TestFleets.Quiet);
        twin.Step(TimeSpan.FromMinutes(1));
        string page = PageReader.Render(twin, Node);

        string[] families =
        [
            "GPU_UTIL", "FB_USED", "FB_FREE", "GPU_TEMP", "MEMORY_TEMP", "POWER_USAGE", "TOTAL_ENERGY_CONSUMPTION", "SM_CLOCK", "MEM_CLOCK",
            "ECC_SBE_VOL_TOTAL", "ECC_DBE_VOL_TOTAL", "ECC_SBE_AGG_TOTAL", "ECC_DBE_AGG_TOTAL", "ROW_REMAP_FAILURE", "CORRECTABLE_REMAPPED_ROWS",
            "UNCORRECTABLE_REMAPPED_ROWS", "NVLINK_CRC_FLIT_ERROR_COUNT_TOTAL", "NVLINK_CRC_DATA_ERROR_COUNT_TOTAL", "NVLINK_REPLAY_ERROR_COUNT_TOTAL",
            "PCIE_REPLAY_COUNTER", "CLOCKS_EVENT_REASONS", "XID_ERRORS",
        ];
        foreach (var f in families)
        {
            Assert.Contains($"# TYPE DCGM_FI_DEV_{f} ", page);
            Assert.Equal(8, PageReader.Samples(page, "DCGM_FI_DEV_" + f).Count);
        }

        var idle = PageReader.Samples(page, "DCGM_FI_DEV_CLOCKS_EVENT_REASONS");
        Assert.All(idle, s => Assert.Equal((double)ClockEventReasons.GpuIdle, s.Value));
    }

    [Fact]
    public void The_infiniband_page_is_well_formed_and_has_every_counter_per_port()
    {
        var twin = new FleetTwin(TestFleets.Small, 5, TestFleets.Quiet);
        twin.Inject(new FaultRequest(FaultKind.PortErrors, $"{Node}/mlx5_2"));
        twin.Step(TimeSpan.FromMinutes(10));

        string page = PageReader.Render(twin, Node, infiniband: true);

        PageReader.AssertWellFormed(page);
        foreach (var counter in new[] { "link_downed", "excessive_buffer_overrun_errors", "local_link_integrity_errors", "rnr_nak_retry_err", "symbol_error", "link_error_recovery", "port_rcv_errors", "port_xmit_discards" })
        {
            Assert.Equal(twin.RailsOf(Node), PageReader.Samples(page, $"infiniband_{counter}_total").Count);
        }

        var symbols = PageReader.Samples(page, "infiniband_symbol_error_total");
        Assert.True(Assert.Single(symbols, s => s.Labels["device"] == "mlx5_2").Value > 0);
        Assert.Equal(twin.ReadPortCounter(Node, 2, "symbol_error"), symbols.Single(s => s.Labels["device"] == "mlx5_2").Value);
    }

    [Fact]
    public void Label_values_with_quotes_and_backslashes_are_escaped()
    {
        Assert.Equal("a\\\"b\\\\c\\n", NeoCloud.Simulator.Rendering.PrometheusText.EscapeLabel("a\"b\\c\n"));
    }
}
