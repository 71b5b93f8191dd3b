using System.Buffers;
using System.Text;
using NeoCloud.Telemetry.Dcgm;
using NeoCloud.Telemetry.Exposition;

namespace NeoCloud.Telemetry.Tests.Dcgm;

public sealed class DcgmPageReaderTests
{
    [Fact]
    public void The_fixture_page_gives_one_reading_per_gpu_and_field_and_skips_exporter_families()
    {
        var readings = new List<GpuReading>();

        int read = new DcgmPageReader().Read(TestPages.H100Fixture(), readings);

        Assert.Equal(29 * TestPages.FixtureGpus, read);
        Assert.Equal(read, readings.Count);
        Assert.All(readings.GroupBy(r => r.Field), g => Assert.Equal(Enumerable.Range(0, 8), g.Select(r => r.Gpu)));
    }

    [Fact]
    public void A_reading_carries_the_gpu_identity_and_its_pod()
    {
        var readings = new List<GpuReading>();
        new DcgmPageReader().Read(TestPages.H100Fixture(), readings);

        GpuReading temperature = readings.Single(r => r.Field == DcgmField.GpuTemp && r.Gpu == 2);

        Assert.Equal(43, temperature.Value);
        Assert.Equal("GPU-0ed90475-e8e2-81e7-36f6-1600099950d8", temperature.Uuid);
        Assert.Equal("euw1-dc2-r07-n03", temperature.Hostname);
        Assert.Equal("NVIDIA H100 80GB HBM3", temperature.ModelName);
        Assert.Equal("llm-pretrain-7b-worker-0", temperature.Pod);
        Assert.Equal("tenant-acme", temperature.Namespace);
        Assert.Equal("trainer", temperature.Container);
        Assert.Null(temperature.MigProfile);
        Assert.Null(temperature.Timestamp);
        Assert.Equal(515.597, readings.Single(r => r.Field == DcgmField.PowerUsage && r.Gpu == 1).Value);
    }

    [Fact]
    public void The_xid_reading_takes_its_value_from_err_code()
    {
        var readings = new List<GpuReading>();
        new DcgmPageReader().Read(TestPages.H100Fixture(), readings);

        var xids = readings.Where(r => r.Field == DcgmField.XidErrors).ToDictionary(r => r.Gpu, r => r.Value);

        Assert.Equal(79, xids[4]);
        Assert.Equal(0, xids[0]);
    }

    [Fact]
    public void The_former_name_of_clock_event_reasons_is_read_as_the_same_field()
    {
        var readings = new List<GpuReading>();

        new DcgmPageReader().Read("DCGM_FI_DEV_CLOCK_THROTTLE_REASONS{gpu=\"1\",UUID=\"GPU-1\"} 4\n"u8, readings);

        Assert.Equal(DcgmField.ClockEventReasons, Assert.Single(readings).Field);
    }

    [Fact]
    public void Row_remap_pending_is_read_as_its_field()
    {
        var readings = new List<GpuReading>();

        new DcgmPageReader().Read("DCGM_FI_DEV_ROW_REMAP_PENDING{gpu=\"3\",UUID=\"GPU-3\"} 1\n"u8, readings);

        GpuReading pending = Assert.Single(readings);
        Assert.Equal(DcgmField.RowRemapPending, pending.Field);
        Assert.Equal(396, (int)pending.Field);
        Assert.Equal(1, pending.Value);
    }

    [Fact]
    public void Mig_labels_are_carried()
    {
        DcgmGpuLabels mig = TestPages.Gpus(1)[0] with { MigProfile = "1g.10gb", MigInstanceId = 9 };
        var buffer = new ArrayBufferWriter<byte>();
        new DcgmExporterWriter(buffer).WriteFamily(DcgmField.FbUsed, [mig], [1024]);
        var readings = new List<GpuReading>();

        new DcgmPageReader().Read(buffer.WrittenSpan, readings);

        Assert.Equal("1g.10gb", readings[0].MigProfile);
        Assert.Equal(9, readings[0].MigInstanceId);
    }

    [Fact]
    public void Lines_of_entities_without_a_gpu_label_are_skipped()
    {
        var readings = new List<GpuReading>();

        int read = new DcgmPageReader().Read("DCGM_FI_DEV_GPU_TEMP{nvswitch=\"0\"} 40\nDCGM_FI_DEV_GPU_TEMP{gpu=\"0\"} 41\n"u8, readings);

        Assert.Equal(1, read);
        Assert.Equal(41, readings[0].Value);
    }

    [Fact]
    public void A_gpu_label_that_is_not_an_index_fails_the_page_and_adds_no_reading()
    {
        var readings = new List<GpuReading> { new(7, "GPU-kept", "h", "m", DcgmField.GpuUtil, 1) };
        byte[] page = Encoding.UTF8.GetBytes("DCGM_FI_DEV_GPU_TEMP{gpu=\"0\"} 41\nDCGM_FI_DEV_GPU_TEMP{gpu=\"zero\"} 41\n");

        var error = Assert.Throws<TelemetryParseException>(() => new DcgmPageReader().Read(page, readings));

        Assert.Equal(2, error.Line);
        Assert.Contains("zero", error.Message, StringComparison.Ordinal);
        Assert.Equal("GPU-kept", Assert.Single(readings).Uuid);
    }

    [Fact]
    public void A_malformed_page_adds_no_reading()
    {
        var readings = new List<GpuReading>();
        byte[] page = [.. TestPages.H100Fixture(), .. "DCGM_FI_DEV_GPU_TEMP{gpu=\"0\" 41\n"u8];

        var error = Assert.Throws<TelemetryParseException>(() => new DcgmPageReader().Read(page, readings));

        Assert.Equal(294, error.Line);
        Assert.Empty(readings);
    }
}
