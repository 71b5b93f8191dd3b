using System.Buffers;
using BenchmarkDotNet.Attributes;
using NeoCloud.Telemetry.Dcgm;
using NeoCloud.Telemetry.Exposition;

namespace NeoCloud.Benchmarks.Telemetry;

/// <summary>
/// Parsing a dcgm-exporter page of one node (every catalogued field for each GPU), and parsing plus
/// mapping it to <see cref="GpuReading"/>s. The page is rendered by <see cref="DcgmExporterWriter"/>;
/// its sample count and size are printed at setup so samples/s and MB/s follow from the time per page.
/// </summary>
[MemoryDiagnoser]
public class ParserBenchmarks
{
    private readonly SampleBatch _batch = new();
    private readonly DcgmPageReader _reader = new();
    private readonly List<GpuReading> _readings = new(8192);
    private byte[] _page = [];

    [Params(8, 64)]
    public int Gpus { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _page = RenderPage(Gpus);
        PrometheusTextParser.Parse(_page, _batch);
        Console.WriteLine($"// page: {Gpus} GPUs, {_batch.FamilyCount} families, {_batch.Count} samples, {_page.Length} bytes");
    }

    [Benchmark]
    public int ParsePage()
    {
        PrometheusTextParser.Parse(_page, _batch);
        return _batch.Count;
    }

    [Benchmark]
    public int ParseAndMapToGpuReadings()
    {
        _readings.Clear();
        return _reader.Read(_page, _readings);
    }

    internal static byte[] RenderPage(int gpuCount)
    {
        var gpus = new DcgmGpuLabels[gpuCount];
        for (int i = 0; i < gpuCount; i++)
        {
            bool busy = i % 4 != 3;
            gpus[i] = new DcgmGpuLabels(
                i,
                $"GPU-{0x604ac76c + (i * 7919):x8}-d9cf-fef3-62e9-d92044ab6e52",
                $"00000000:{0x18 + i:X2}:00.0",
                $"nvidia{i}",
                "NVIDIA H100 80GB HBM3",
                $"euw1-dc2-r07-n{i / 8:00}")
            {
                Pod = busy ? "llm-pretrain-7b-worker-0" : "",
                Namespace = busy ? "tenant-acme" : "",
                Container = busy ? "trainer" : "",
            };
        }

        var buffer = new ArrayBufferWriter<byte>();
        var writer = new DcgmExporterWriter(buffer);
        var values = new double[gpuCount];
        var xids = new int[gpuCount];
        foreach (DcgmField field in DcgmFieldCatalog.Fields)
        {
            if (field == DcgmField.XidErrors)
            {
                writer.WriteXidFamily(gpus, xids);
                continue;
            }

            for (int i = 0; i < gpuCount; i++)
            {
                // Mix integral counters with fractional gauges, as a real page has.
                values[i] = DcgmFieldCatalog.GetMetricType(field) == MetricType.Counter
                    ? 1_000_000 + (i * 31)
                    : Math.Round(((int)field % 97) + (i * 0.123457), 6);
            }

            writer.WriteFamily(field, gpus, values);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
