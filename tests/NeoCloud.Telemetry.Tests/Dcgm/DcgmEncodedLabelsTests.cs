using System.Buffers;
using NeoCloud.Telemetry.Dcgm;

namespace NeoCloud.Telemetry.Tests.Dcgm;

public sealed class DcgmEncodedLabelsTests
{
    private static readonly DcgmGpuLabels[] Gpus =
    [
        new(0, "GPU-0000", "00000000:18:00.0", "nvidia0", "NVIDIA H100 80GB HBM3", "node-a") { Pod = "train-\"7\"", Namespace = "team\\a" },
        new(1, "GPU-0001", "00000000:2a:00.0", "nvidia1", "NVIDIA H100 80GB HBM3", "node-a") { MigProfile = "1g.10gb", MigInstanceId = 3 },
    ];

    [Fact]
    public void Encoded_labels_write_the_same_page_as_the_labels_themselves()
    {
        var encoded = Gpus.Select(DcgmEncodedLabels.Encode).ToArray();
        double[] values = [41, 63.5];
        int[] xids = [0, 79];
        var plain = new ArrayBufferWriter<byte>();
        var fast = new ArrayBufferWriter<byte>();

        new DcgmExporterWriter(plain).WriteFamily(DcgmField.GpuTemp, Gpus, values);
        new DcgmExporterWriter(plain).WriteXidFamily(Gpus, xids);
        new DcgmExporterWriter(fast).WriteFamily(DcgmField.GpuTemp, encoded, values);
        new DcgmExporterWriter(fast).WriteXidFamily(encoded, xids);

        Assert.Equal(System.Text.Encoding.UTF8.GetString(plain.WrittenSpan), System.Text.Encoding.UTF8.GetString(fast.WrittenSpan));
    }

    [Fact]
    public void Writing_from_encoded_labels_allocates_nothing()
    {
        var encoded = Gpus.Select(DcgmEncodedLabels.Encode).ToArray();
        double[] values = [41, 63.5];
        var page = new ArrayBufferWriter<byte>(64 * 1024);
        new DcgmExporterWriter(page).WriteFamily(DcgmField.GpuTemp, encoded, values);
        page.ResetWrittenCount();

        long before = GC.GetAllocatedBytesForCurrentThread();
        new DcgmExporterWriter(page).WriteFamily(DcgmField.GpuTemp, encoded, values);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
    }
}
