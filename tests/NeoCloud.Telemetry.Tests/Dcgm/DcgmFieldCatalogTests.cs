using System.Text;
using NeoCloud.Telemetry.Dcgm;
using NeoCloud.Telemetry.Exposition;

namespace NeoCloud.Telemetry.Tests.Dcgm;

public sealed class DcgmFieldCatalogTests
{
    [Theory]
    [InlineData("DCGM_FI_DEV_GPU_UTIL", DcgmField.GpuUtil)]
    [InlineData("DCGM_FI_DEV_FB_USED", DcgmField.FbUsed)]
    [InlineData("DCGM_FI_DEV_FB_FREE", DcgmField.FbFree)]
    [InlineData("DCGM_FI_DEV_GPU_TEMP", DcgmField.GpuTemp)]
    [InlineData("DCGM_FI_DEV_MEMORY_TEMP", DcgmField.MemoryTemp)]
    [InlineData("DCGM_FI_DEV_POWER_USAGE", DcgmField.PowerUsage)]
    [InlineData("DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION", DcgmField.TotalEnergyConsumption)]
    [InlineData("DCGM_FI_DEV_SM_CLOCK", DcgmField.SmClock)]
    [InlineData("DCGM_FI_DEV_MEM_CLOCK", DcgmField.MemClock)]
    [InlineData("DCGM_FI_DEV_ECC_SBE_VOL_TOTAL", DcgmField.EccSbeVolTotal)]
    [InlineData("DCGM_FI_DEV_ECC_DBE_VOL_TOTAL", DcgmField.EccDbeVolTotal)]
    [InlineData("DCGM_FI_DEV_ECC_SBE_AGG_TOTAL", DcgmField.EccSbeAggTotal)]
    [InlineData("DCGM_FI_DEV_ECC_DBE_AGG_TOTAL", DcgmField.EccDbeAggTotal)]
    [InlineData("DCGM_FI_DEV_ROW_REMAP_FAILURE", DcgmField.RowRemapFailure)]
    [InlineData("DCGM_FI_DEV_UNCORRECTABLE_REMAPPED_ROWS", DcgmField.UncorrectableRemappedRows)]
    [InlineData("DCGM_FI_DEV_CORRECTABLE_REMAPPED_ROWS", DcgmField.CorrectableRemappedRows)]
    [InlineData("DCGM_FI_DEV_XID_ERRORS", DcgmField.XidErrors)]
    [InlineData("DCGM_FI_DEV_NVLINK_CRC_FLIT_ERROR_COUNT_TOTAL", DcgmField.NvlinkCrcFlitErrorCountTotal)]
    [InlineData("DCGM_FI_DEV_NVLINK_CRC_DATA_ERROR_COUNT_TOTAL", DcgmField.NvlinkCrcDataErrorCountTotal)]
    [InlineData("DCGM_FI_DEV_NVLINK_REPLAY_ERROR_COUNT_TOTAL", DcgmField.NvlinkReplayErrorCountTotal)]
    [InlineData("DCGM_FI_DEV_PCIE_REPLAY_COUNTER", DcgmField.PcieReplayCounter)]
    [InlineData("DCGM_FI_DEV_CLOCK_THROTTLE_REASONS", DcgmField.ClockEventReasons)]
    [InlineData("DCGM_FI_DEV_CLOCKS_EVENT_REASONS", DcgmField.ClockEventReasons)]
    [InlineData("DCGM_FI_DEV_MEM_COPY_UTIL", DcgmField.MemCopyUtil)]
    [InlineData("DCGM_FI_PROF_GR_ENGINE_ACTIVE", DcgmField.GrEngineActive)]
    [InlineData("DCGM_FI_PROF_SM_ACTIVE", DcgmField.SmActive)]
    public void Every_field_NeoCloud_uses_is_found_by_its_metric_name(string name, DcgmField expected)
    {
        Assert.True(DcgmFieldCatalog.TryGetField(name, out DcgmField byChars));
        Assert.True(DcgmFieldCatalog.TryGetField(Encoding.UTF8.GetBytes(name), out DcgmField byBytes));
        Assert.Equal(expected, byChars);
        Assert.Equal(expected, byBytes);
    }

    [Fact]
    public void Clock_event_reasons_are_written_under_their_current_name()
    {
        Assert.Equal("DCGM_FI_DEV_CLOCKS_EVENT_REASONS", DcgmFieldCatalog.GetName(DcgmField.ClockEventReasons));
    }

    [Fact]
    public void Types_and_help_follow_the_default_counters_file()
    {
        Assert.Equal(MetricType.Gauge, DcgmFieldCatalog.GetMetricType(DcgmField.GpuTemp));
        Assert.Equal("GPU temperature (in C).", DcgmFieldCatalog.GetHelp(DcgmField.GpuTemp));
        Assert.Equal(MetricType.Counter, DcgmFieldCatalog.GetMetricType(DcgmField.TotalEnergyConsumption));
        Assert.Equal(MetricType.Gauge, DcgmFieldCatalog.GetMetricType(DcgmField.XidErrors));
        Assert.Equal(MetricType.Counter, DcgmFieldCatalog.GetMetricType(DcgmField.NvlinkReplayErrorCountTotal));
        Assert.Equal("Whether remapping of rows has failed", DcgmFieldCatalog.GetHelp(DcgmField.RowRemapFailure));
    }

    [Fact]
    public void Every_catalogued_field_has_a_name_that_leads_back_to_it_and_a_help_text()
    {
        Assert.DoesNotContain(DcgmField.Unknown, DcgmFieldCatalog.Fields);
        foreach (DcgmField field in DcgmFieldCatalog.Fields)
        {
            Assert.True(DcgmFieldCatalog.TryGetField(DcgmFieldCatalog.GetName(field), out DcgmField found));
            Assert.Equal(field, found);
            Assert.False(string.IsNullOrWhiteSpace(DcgmFieldCatalog.GetHelp(field)));
        }
    }

    [Fact]
    public void Names_outside_the_catalogue_are_not_found()
    {
        Assert.False(DcgmFieldCatalog.TryGetField("DCGM_EXP_XID_ERRORS_COUNT", out _));
        Assert.False(DcgmFieldCatalog.TryGetField("dcgm_fi_dev_gpu_temp"u8, out _));
        Assert.False(DcgmFieldCatalog.TryGetField(new byte[200], out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => DcgmFieldCatalog.GetName(DcgmField.Unknown));
    }

    [Fact]
    public void Looking_up_a_field_by_name_does_not_allocate()
    {
        ReadOnlySpan<byte> utf8 = "DCGM_FI_DEV_POWER_USAGE"u8;
        const string name = "DCGM_FI_DEV_GPU_TEMP";
        DcgmFieldCatalog.TryGetField(utf8, out _);
        DcgmFieldCatalog.TryGetField(name, out _);

        long before = GC.GetAllocatedBytesForCurrentThread();
        DcgmFieldCatalog.TryGetField(utf8, out DcgmField power);
        DcgmFieldCatalog.TryGetField(name.AsSpan(), out DcgmField temperature);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(DcgmField.PowerUsage, power);
        Assert.Equal(DcgmField.GpuTemp, temperature);
    }
}
