using System.Buffers;
using NeoCloud.Fleet.Skus;
using NeoCloud.Fleet.Topology;
using NeoCloud.Simulator.Faults;
using NeoCloud.Simulator.Twin;
using NeoCloud.Telemetry.Dcgm;

namespace NeoCloud.Simulator.Rendering;

/// <summary>
/// Writes a node's GPUs as a dcgm-exporter page through the Telemetry context's <see cref="DcgmExporterWriter"/>:
/// this class only turns the twin's state into one value per GPU and field.
/// </summary>
/// <remarks>
/// Callers hold the twin's lock, so the reused value buffer is never shared by two scrapes.
/// A warm render allocates nothing: labels are built once per node, values go through one buffer.
/// </remarks>
internal sealed class DcgmPageRenderer
{
    // The families a node's page carries, in the order the twin has always written them.
    private static readonly DcgmField[] Fields =
    [
        DcgmField.SmClock, DcgmField.MemClock, DcgmField.MemoryTemp, DcgmField.GpuTemp, DcgmField.PowerUsage,
        DcgmField.TotalEnergyConsumption, DcgmField.PcieReplayCounter, DcgmField.GpuUtil, DcgmField.FbFree, DcgmField.FbUsed,
        DcgmField.EccSbeVolTotal, DcgmField.EccDbeVolTotal, DcgmField.EccSbeAggTotal, DcgmField.EccDbeAggTotal,
        DcgmField.NvlinkCrcFlitErrorCountTotal, DcgmField.NvlinkCrcDataErrorCountTotal, DcgmField.NvlinkReplayErrorCountTotal,
        DcgmField.UncorrectableRemappedRows, DcgmField.CorrectableRemappedRows, DcgmField.RowRemapFailure, DcgmField.RowRemapPending,
        DcgmField.ClockEventReasons,
    ];

    // err_msg as NVIDIA's catalogue names the XID; a static lambda, so passing it allocates nothing.
    private static readonly Func<int, string> DescribeXid =
        static code => code == 0 ? "No Error" : XidCatalog.TryGet(code, out var info) ? info.Name : "Unknown";

    private readonly FleetTopology _topology;
    private readonly DcgmEncodedLabels[]?[] _labels;
    private readonly double[] _values;

    public DcgmPageRenderer(FleetTopology topology)
    {
        _topology = topology;
        _labels = new DcgmEncodedLabels[]?[topology.Nodes.Count];
        int widest = 0;
        for (int n = 0; n < topology.Nodes.Count; n++)
        {
            widest = Math.Max(widest, topology.GpuOffsets[n + 1] - topology.GpuOffsets[n]);
        }

        _values = new double[widest];
    }

    public void Render(TwinState state, int node, IBufferWriter<byte> output)
    {
        int from = _topology.GpuOffsets[node];
        int count = _topology.GpuOffsets[node + 1] - from;
        ReadOnlySpan<DcgmEncodedLabels> gpus = LabelsOf(node);
        Span<double> values = _values.AsSpan(0, count);
        var writer = new DcgmExporterWriter(output);
        var g = state.Gpus;
        foreach (var field in Fields)
        {
            for (int i = 0; i < count; i++)
            {
                values[i] = ValueOf(field, g, from + i);
            }

            writer.WriteFamily(field, gpus, values);
        }

        writer.WriteXidFamily(gpus, g.LastXid.AsSpan(from, count), DescribeXid);
    }

    // Rounded as dcgm-exporter prints them: whole numbers, and power to three decimals.
    private static double ValueOf(DcgmField field, GpuStates g, int i) => field switch
    {
        DcgmField.SmClock => (long)g.SmClockMhz[i],
        DcgmField.MemClock => g.PowerW[i] > 0 ? (long)g.MemClockMhz[i] : 0L,
        DcgmField.MemoryTemp => Math.Round(g.MemTemp[i]),
        DcgmField.GpuTemp => Math.Round(g.GpuTemp[i]),
        DcgmField.PowerUsage => Math.Round((double)g.PowerW[i], 3),
        DcgmField.TotalEnergyConsumption => (long)g.EnergyMj[i],
        DcgmField.PcieReplayCounter => g.PcieReplay[i],
        DcgmField.GpuUtil => Math.Round(g.Util[i]),
        DcgmField.FbFree => (long)(g.MemoryMiB[i] - g.FbUsedMiB[i]),
        DcgmField.FbUsed => (long)g.FbUsedMiB[i],
        DcgmField.EccSbeVolTotal => g.SbeVol[i],
        DcgmField.EccDbeVolTotal => g.DbeVol[i],
        DcgmField.EccSbeAggTotal => g.SbeAgg[i],
        DcgmField.EccDbeAggTotal => g.DbeAgg[i],
        DcgmField.NvlinkCrcFlitErrorCountTotal => g.NvlCrcFlit[i],
        DcgmField.NvlinkCrcDataErrorCountTotal => g.NvlCrcData[i],
        DcgmField.NvlinkReplayErrorCountTotal => g.NvlReplay[i],
        DcgmField.UncorrectableRemappedRows => g.UncorrectableRemapped[i],
        DcgmField.CorrectableRemappedRows => g.CorrectableRemapped[i],
        DcgmField.RowRemapFailure => g.RemapFailure[i],
        DcgmField.RowRemapPending => g.RemapPending[i],
        DcgmField.ClockEventReasons => g.ClockEvents[i],
        _ => throw new InvalidOperationException($"The twin has no value for {field}."),
    };

    // Encoded on a node's first scrape and kept: every later page copies the label bytes.
    private DcgmEncodedLabels[] LabelsOf(int node)
    {
        if (_labels[node] is { } cached)
        {
            return cached;
        }

        int from = _topology.GpuOffsets[node];
        var labels = new DcgmEncodedLabels[_topology.GpuOffsets[node + 1] - from];
        string hostname = _topology.Nodes[node].Hostname;
        for (int i = 0; i < labels.Length; i++)
        {
            var d = _topology.Gpus[from + i];
            string model = SkuCatalog.TryGet(d.Sku, out var sku) ? sku.ModelName : d.Sku;
            labels[i] = DcgmEncodedLabels.Encode(new DcgmGpuLabels(d.Index, d.Uuid, d.PciBusId, $"nvidia{d.Index}", model, hostname));
        }

        return _labels[node] = labels;
    }
}
