using System.Buffers;
using System.Text;
using NeoCloud.Fleet.Skus;
using NeoCloud.Fleet.Topology;
using NeoCloud.Simulator.Faults;
using NeoCloud.Simulator.Twin;

namespace NeoCloud.Simulator.Rendering;

/// <summary>
/// Writes a node's GPUs as a dcgm-exporter page (Prometheus text, one family per DCGM field, dcgm-exporter's label set).
/// The only place the twin formats dcgm text, so it can be swapped for the Telemetry context's shared writer.
/// </summary>
internal sealed class DcgmPageRenderer
{
    private enum Field
    {
        SmClock, MemClock, MemoryTemp, GpuTemp, PowerUsage, TotalEnergy, PcieReplay, GpuUtil, FbFree, FbUsed,
        EccSbeVol, EccDbeVol, EccSbeAgg, EccDbeAgg, NvlinkCrcFlit, NvlinkCrcData, NvlinkReplay,
        UncorrectableRemappedRows, CorrectableRemappedRows, RowRemapFailure, RowRemapPending, ClockThrottleReasons, XidErrors,
    }

    private static readonly (Field Field, string Name, string Type, string Help)[] Families =
    [
        (Field.SmClock, "DCGM_FI_DEV_SM_CLOCK", "gauge", "SM clock frequency (in MHz)."),
        (Field.MemClock, "DCGM_FI_DEV_MEM_CLOCK", "gauge", "Memory clock frequency (in MHz)."),
        (Field.MemoryTemp, "DCGM_FI_DEV_MEMORY_TEMP", "gauge", "Memory temperature (in C)."),
        (Field.GpuTemp, "DCGM_FI_DEV_GPU_TEMP", "gauge", "GPU temperature (in C)."),
        (Field.PowerUsage, "DCGM_FI_DEV_POWER_USAGE", "gauge", "Power draw (in W)."),
        (Field.TotalEnergy, "DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION", "counter", "Total energy consumption since boot (in mJ)."),
        (Field.PcieReplay, "DCGM_FI_DEV_PCIE_REPLAY_COUNTER", "counter", "Total number of PCIe retries."),
        (Field.GpuUtil, "DCGM_FI_DEV_GPU_UTIL", "gauge", "GPU utilization (in %)."),
        (Field.FbFree, "DCGM_FI_DEV_FB_FREE", "gauge", "Framebuffer memory free (in MiB)."),
        (Field.FbUsed, "DCGM_FI_DEV_FB_USED", "gauge", "Framebuffer memory used (in MiB)."),
        (Field.EccSbeVol, "DCGM_FI_DEV_ECC_SBE_VOL_TOTAL", "counter", "Total number of single-bit volatile ECC errors."),
        (Field.EccDbeVol, "DCGM_FI_DEV_ECC_DBE_VOL_TOTAL", "counter", "Total number of double-bit volatile ECC errors."),
        (Field.EccSbeAgg, "DCGM_FI_DEV_ECC_SBE_AGG_TOTAL", "counter", "Total number of single-bit persistent ECC errors."),
        (Field.EccDbeAgg, "DCGM_FI_DEV_ECC_DBE_AGG_TOTAL", "counter", "Total number of double-bit persistent ECC errors."),
        (Field.NvlinkCrcFlit, "DCGM_FI_DEV_NVLINK_CRC_FLIT_ERROR_COUNT_TOTAL", "counter", "Total number of NVLink flow-control CRC errors."),
        (Field.NvlinkCrcData, "DCGM_FI_DEV_NVLINK_CRC_DATA_ERROR_COUNT_TOTAL", "counter", "Total number of NVLink data CRC errors."),
        (Field.NvlinkReplay, "DCGM_FI_DEV_NVLINK_REPLAY_ERROR_COUNT_TOTAL", "counter", "Total number of NVLink retries."),
        (Field.UncorrectableRemappedRows, "DCGM_FI_DEV_UNCORRECTABLE_REMAPPED_ROWS", "counter", "Number of remapped rows for uncorrectable errors"),
        (Field.CorrectableRemappedRows, "DCGM_FI_DEV_CORRECTABLE_REMAPPED_ROWS", "counter", "Number of remapped rows for correctable errors"),
        (Field.RowRemapFailure, "DCGM_FI_DEV_ROW_REMAP_FAILURE", "gauge", "Whether remapping of rows has failed"),
        (Field.RowRemapPending, "DCGM_FI_DEV_ROW_REMAP_PENDING", "gauge", "Whether remapping of rows is pending"),
        (Field.ClockThrottleReasons, "DCGM_FI_DEV_CLOCK_THROTTLE_REASONS", "gauge", "Current clock throttle reasons (bitmask of DCGM_CLOCKS_EVENT_REASON_*)."),
        (Field.XidErrors, "DCGM_FI_DEV_XID_ERRORS", "gauge", "Value of the last XID error encountered."),
    ];

    private static readonly byte[][] Headers = [.. Families.Select(f => PrometheusText.Header(f.Name, f.Type, f.Help))];
    private static readonly byte[][] Names = [.. Families.Select(f => Encoding.UTF8.GetBytes(f.Name))];
    private static readonly byte[] CloseLabels = "} "u8.ToArray();
    private static readonly byte[] NoXid = ",err_code=\"0\",err_msg=\"No Error\"} "u8.ToArray();

    private readonly FleetTopology _topology;

    // Per GPU: "{gpu=...,pod=\"\"" — built the first time its node is rendered, reused on every scrape after.
    private readonly byte[]?[] _labels;
    private readonly Dictionary<int, byte[]> _xidAttributes = [];

    public DcgmPageRenderer(FleetTopology topology)
    {
        _topology = topology;
        _labels = new byte[]?[topology.GpuCount];
    }

    public void Render(TwinState state, int node, IBufferWriter<byte> output)
    {
        int from = _topology.GpuOffsets[node];
        int to = _topology.GpuOffsets[node + 1];
        var g = state.Gpus;
        for (int f = 0; f < Families.Length; f++)
        {
            PrometheusText.Write(output, Headers[f]);
            var field = Families[f].Field;
            for (int i = from; i < to; i++)
            {
                PrometheusText.Write(output, Names[f]);
                PrometheusText.Write(output, LabelsOf(i));
                if (field == Field.XidErrors)
                {
                    PrometheusText.Write(output, XidAttributes(g.LastXid[i]));
                    PrometheusText.Write(output, (long)g.LastXid[i]);
                }
                else
                {
                    PrometheusText.Write(output, CloseLabels);
                    WriteValue(output, field, g, i);
                }

                PrometheusText.Write(output, "\n"u8);
            }
        }
    }

    private static void WriteValue(IBufferWriter<byte> output, Field field, GpuStates g, int i)
    {
        switch (field)
        {
            case Field.SmClock: PrometheusText.Write(output, (long)g.SmClockMhz[i]); break;
            case Field.MemClock: PrometheusText.Write(output, g.PowerW[i] > 0 ? (long)g.MemClockMhz[i] : 0L); break;
            case Field.MemoryTemp: PrometheusText.Write(output, (long)Math.Round(g.MemTemp[i])); break;
            case Field.GpuTemp: PrometheusText.Write(output, (long)Math.Round(g.GpuTemp[i])); break;
            case Field.PowerUsage: PrometheusText.Write(output, (double)g.PowerW[i]); break;
            case Field.TotalEnergy: PrometheusText.Write(output, (long)g.EnergyMj[i]); break;
            case Field.PcieReplay: PrometheusText.Write(output, g.PcieReplay[i]); break;
            case Field.GpuUtil: PrometheusText.Write(output, (long)Math.Round(g.Util[i])); break;
            case Field.FbFree: PrometheusText.Write(output, (long)(g.MemoryMiB[i] - g.FbUsedMiB[i])); break;
            case Field.FbUsed: PrometheusText.Write(output, (long)g.FbUsedMiB[i]); break;
            case Field.EccSbeVol: PrometheusText.Write(output, g.SbeVol[i]); break;
            case Field.EccDbeVol: PrometheusText.Write(output, g.DbeVol[i]); break;
            case Field.EccSbeAgg: PrometheusText.Write(output, g.SbeAgg[i]); break;
            case Field.EccDbeAgg: PrometheusText.Write(output, g.DbeAgg[i]); break;
            case Field.NvlinkCrcFlit: PrometheusText.Write(output, g.NvlCrcFlit[i]); break;
            case Field.NvlinkCrcData: PrometheusText.Write(output, g.NvlCrcData[i]); break;
            case Field.NvlinkReplay: PrometheusText.Write(output, g.NvlReplay[i]); break;
            case Field.UncorrectableRemappedRows: PrometheusText.Write(output, (long)g.UncorrectableRemapped[i]); break;
            case Field.CorrectableRemappedRows: PrometheusText.Write(output, (long)g.CorrectableRemapped[i]); break;
            case Field.RowRemapFailure: PrometheusText.Write(output, (long)g.RemapFailure[i]); break;
            case Field.RowRemapPending: PrometheusText.Write(output, (long)g.RemapPending[i]); break;
            case Field.ClockThrottleReasons: PrometheusText.Write(output, (long)g.ClockEvents[i]); break;
            default: throw new InvalidOperationException($"No value for {field}.");
        }
    }

    private byte[] LabelsOf(int gpu)
    {
        if (_labels[gpu] is { } cached)
        {
            return cached;
        }

        var d = _topology.Gpus[gpu];
        var node = _topology.GetNode(d.Node);
        string model = SkuCatalog.TryGet(d.Sku, out var sku) ? sku.ModelName : d.Sku;
        string text = $"{{gpu=\"{d.Index}\",UUID=\"{PrometheusText.EscapeLabel(d.Uuid)}\",pci_bus_id=\"{d.PciBusId}\",device=\"nvidia{d.Index}\"," +
            $"modelName=\"{PrometheusText.EscapeLabel(model)}\",Hostname=\"{PrometheusText.EscapeLabel(node.Hostname)}\",container=\"\",namespace=\"\",pod=\"\"";
        return _labels[gpu] = Encoding.UTF8.GetBytes(text);
    }

    private byte[] XidAttributes(int code)
    {
        if (code == 0)
        {
            return NoXid;
        }

        lock (_xidAttributes)
        {
            if (!_xidAttributes.TryGetValue(code, out var bytes))
            {
                string msg = XidCatalog.TryGet(code, out var info) ? info.Name : "Unknown";
                bytes = Encoding.UTF8.GetBytes($",err_code=\"{code}\",err_msg=\"{PrometheusText.EscapeLabel(msg)}\"}} ");
                _xidAttributes[code] = bytes;
            }

            return bytes;
        }
    }
}
