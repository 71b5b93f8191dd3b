using System.Buffers;
using NeoCloud.Telemetry.Dcgm;

namespace NeoCloud.Telemetry.Tests.Dcgm;

/// <summary>dcgm-exporter pages for tests: the hand-written fixture, and pages of any size rendered by the writer.</summary>
internal static class TestPages
{
    public const int FixtureGpus = 8;
    public const int FixtureFamilies = 30;
    public const int FixtureSamples = 233;

    public static byte[] H100Fixture() =>
        File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Dcgm", "Fixtures", "h100-8gpu.prom"));

    public static DcgmGpuLabels[] Gpus(int count, string hostname = "euw1-dc2-r07-n03")
    {
        var gpus = new DcgmGpuLabels[count];
        for (int i = 0; i < count; i++)
        {
            gpus[i] = new DcgmGpuLabels(
                i,
                $"GPU-{i:x8}-d9cf-fef3-62e9-d92044ab6e52",
                $"00000000:{0x18 + i:X2}:00.0",
                $"nvidia{i}",
                "NVIDIA H100 80GB HBM3",
                hostname)
            {
                Pod = i % 2 == 0 ? "llm-pretrain-worker-0" : "",
                Namespace = i % 2 == 0 ? "tenant-acme" : "",
                Container = i % 2 == 0 ? "trainer" : "",
            };
        }

        return gpus;
    }

    /// <summary>Every catalogued field for every GPU, values varying per GPU.</summary>
    public static byte[] Rendered(DcgmGpuLabels[] gpus)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new DcgmExporterWriter(buffer);
        var values = new double[gpus.Length];
        foreach (DcgmField field in DcgmFieldCatalog.Fields)
        {
            if (field == DcgmField.XidErrors)
            {
                writer.WriteXidFamily(gpus, Enumerable.Range(0, gpus.Length).Select(i => i == 3 ? 79 : 0).ToArray());
                continue;
            }

            for (int i = 0; i < gpus.Length; i++)
            {
                values[i] = ((int)field * 1.5) + i;
            }

            writer.WriteFamily(field, gpus, values);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
