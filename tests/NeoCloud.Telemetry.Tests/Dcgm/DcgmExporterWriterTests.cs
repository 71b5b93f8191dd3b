using System.Buffers;
using System.Text;
using NeoCloud.Telemetry.Dcgm;
using NeoCloud.Telemetry.Exposition;

namespace NeoCloud.Telemetry.Tests.Dcgm;

public sealed class DcgmExporterWriterTests
{
    private static readonly DcgmGpuLabels NodeA = new(
        0, "GPU-604ac76c-d9cf-fef3-62e9-d92044ab6e52", "00000000:18:00.0", "nvidia0", "NVIDIA H100 80GB HBM3", "node-a");

    private static string Write(Action<DcgmExporterWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        write(new DcgmExporterWriter(buffer));
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [Fact]
    public void A_family_is_written_as_dcgm_exporter_writes_it()
    {
        string text = Write(w => w.WriteFamily(DcgmField.GpuTemp, [NodeA], [41]));

        Assert.Equal("""
            # HELP DCGM_FI_DEV_GPU_TEMP GPU temperature (in C).
            # TYPE DCGM_FI_DEV_GPU_TEMP gauge
            DCGM_FI_DEV_GPU_TEMP{gpu="0",UUID="GPU-604ac76c-d9cf-fef3-62e9-d92044ab6e52",pci_bus_id="00000000:18:00.0",device="nvidia0",modelName="NVIDIA H100 80GB HBM3",Hostname="node-a",container="",namespace="",pod=""} 41

            """, text);
    }

    [Fact]
    public void Mig_labels_go_between_modelName_and_Hostname_and_xid_attributes_last()
    {
        DcgmGpuLabels mig = NodeA with { MigProfile = "3g.40gb", MigInstanceId = 2, Pod = "p", Namespace = "n", Container = "c" };

        string text = Write(w => w.WriteXidFamily([mig], [48]));

        Assert.EndsWith(
            "modelName=\"NVIDIA H100 80GB HBM3\",GPU_I_PROFILE=\"3g.40gb\",GPU_I_ID=\"2\",Hostname=\"node-a\",container=\"c\",namespace=\"n\",pod=\"p\",err_code=\"48\",err_msg=\"Double-bit ECC error\"} 48\n",
            text);
    }

    [Fact]
    public void A_caller_can_give_its_own_xid_messages_and_they_are_escaped()
    {
        string text = Write(w => w.WriteXidFamily([NodeA], [79], code => $"XID \"{code}\""));

        Assert.EndsWith("err_code=\"79\",err_msg=\"XID \\\"79\\\"\"} 79\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Label_values_are_escaped()
    {
        string text = Write(w => w.WriteFamily(DcgmField.GpuUtil, [NodeA with { Pod = "a\\b\"c\nd" }], [1.25]));

        Assert.Contains("pod=\"a\\\\b\\\"c\\nd\"} 1.25\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Special_values_are_written_as_the_format_spells_them()
    {
        string text = Write(w => w.WriteFamily(DcgmField.PowerUsage, [NodeA, NodeA, NodeA, NodeA], [double.NaN, double.PositiveInfinity, double.NegativeInfinity, 1e300]));

        Assert.Contains("} NaN\n", text, StringComparison.Ordinal);
        Assert.Contains("} +Inf\n", text, StringComparison.Ordinal);
        Assert.Contains("} -Inf\n", text, StringComparison.Ordinal);
        Assert.Contains("} 1E+300\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void One_value_per_gpu_is_required()
    {
        Assert.Throws<ArgumentException>(() => Write(w => w.WriteFamily(DcgmField.GpuTemp, [NodeA], [1, 2])));
        Assert.Throws<ArgumentException>(() => Write(w => w.WriteXidFamily([NodeA, NodeA], [1])));
    }

    [Fact]
    public void What_the_writer_writes_the_reader_reads_back_for_any_labels_and_values()
    {
        var random = new Random(20240611);
        var reader = new DcgmPageReader();
        var readings = new List<GpuReading>();
        DcgmField[] fields = DcgmFieldCatalog.Fields.Where(f => f != DcgmField.XidErrors).ToArray();
        for (int round = 0; round < 300; round++)
        {
            DcgmGpuLabels[] gpus = Enumerable.Range(0, random.Next(1, 6)).Select(_ => RandomGpu(random)).ToArray();
            DcgmField field = fields[random.Next(fields.Length)];
            double[] values = gpus.Select(_ => RandomValue(random)).ToArray();
            int[] xids = gpus.Select(_ => random.Next(0, 200)).ToArray();
            var buffer = new ArrayBufferWriter<byte>();
            var writer = new DcgmExporterWriter(buffer);
            writer.WriteFamily(field, gpus, values);
            writer.WriteXidFamily(gpus, xids);

            readings.Clear();
            reader.Read(buffer.WrittenSpan, readings);

            Assert.Equal(gpus.Length * 2, readings.Count);
            for (int i = 0; i < gpus.Length; i++)
            {
                AssertReading(gpus[i], field, values[i], readings[i]);
                AssertReading(gpus[i], DcgmField.XidErrors, xids[i], readings[gpus.Length + i]);
            }
        }
    }

    private static void AssertReading(DcgmGpuLabels gpu, DcgmField field, double value, GpuReading reading)
    {
        Assert.Equal(field, reading.Field);
        Assert.Equal(gpu.Gpu, reading.Gpu);
        Assert.Equal(gpu.Uuid, reading.Uuid);
        Assert.Equal(gpu.ModelName, reading.ModelName);
        Assert.Equal(gpu.Hostname, reading.Hostname);
        Assert.Equal(gpu.MigProfile, reading.MigProfile);
        Assert.Equal(gpu.MigInstanceId, reading.MigInstanceId);
        Assert.Equal(gpu.Pod, reading.Pod);
        Assert.Equal(gpu.Namespace, reading.Namespace);
        Assert.Equal(gpu.Container, reading.Container);
        if (double.IsNaN(value))
        {
            Assert.True(double.IsNaN(reading.Value));
        }
        else
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(value), BitConverter.DoubleToInt64Bits(reading.Value));
        }
    }

    private static readonly string[] Pieces =
        ["a", "Z", "0", "_", " ", "\t", "\r", "\"", "\\", "\n", "\\n", "\\\"", "{", "}", ",", "=", "#", "é", "日本", "😀", "} 1", "\"}"];

    private static string RandomText(Random random, int maxPieces)
    {
        var text = new StringBuilder();
        int count = random.Next(0, maxPieces + 1);
        for (int i = 0; i < count; i++)
        {
            text.Append(Pieces[random.Next(Pieces.Length)]);
        }

        return text.ToString();
    }

    private static DcgmGpuLabels RandomGpu(Random random)
    {
        bool mig = random.Next(3) == 0;
        return new DcgmGpuLabels(
            random.Next(0, 1000),
            RandomText(random, 8),
            RandomText(random, 4),
            RandomText(random, 4),
            RandomText(random, 6),
            RandomText(random, 10))
        {
            MigProfile = mig ? RandomText(random, 3) : null,
            MigInstanceId = mig ? random.Next(0, 15) : null,
            Pod = RandomText(random, 6),
            Namespace = RandomText(random, 6),
            Container = RandomText(random, 6),
        };
    }

    private static double RandomValue(Random random) => random.Next(8) switch
    {
        0 => double.NaN,
        1 => random.Next(2) == 0 ? double.PositiveInfinity : double.NegativeInfinity,
        2 => random.Next(2) == 0 ? 0.0 : -0.0,
        3 => random.Next(-1_000_000, 1_000_000),
        4 => Math.Round(random.NextDouble() * 1000, random.Next(0, 7)),
        5 => random.Next(2) == 0 ? double.Epsilon : double.MaxValue,
        _ => BitConverter.Int64BitsToDouble(random.NextInt64()),
    };
}
