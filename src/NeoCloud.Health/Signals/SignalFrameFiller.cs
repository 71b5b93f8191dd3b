using System.Globalization;
using NeoCloud.Telemetry.Dcgm;
using NeoCloud.Telemetry.Exposition;

namespace NeoCloud.Health.Signals;

/// <summary>
/// Puts what the Telemetry context parsed from a node's pages into a <see cref="SignalFrame"/>: dcgm-exporter readings
/// into the node's GPU samples, InfiniBand port counters into its port samples. Allocation-free once the batch has
/// interned its strings (labels are compared, never built).
/// </summary>
public static class SignalFrameFiller
{
    /// <summary>Marks <paramref name="node"/> as answered and writes its GPUs' readings (whole GPUs; MIG instance rows are skipped).</summary>
    /// <returns>How many readings were used.</returns>
    public static int FillGpus(SignalFrame frame, int node, IReadOnlyList<GpuReading> readings)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(readings);
        frame.NodeAnswered[node] = true;
        int first = frame.Topology.GpuOffsets[node];
        int count = frame.Topology.GpuOffsets[node + 1] - first;
        for (int i = first; i < first + count; i++)
        {
            frame.Gpus[i].NvlinkCrcErrors = 0;
        }

        int used = 0;
        for (int i = 0; i < readings.Count; i++)
        {
            var r = readings[i];
            if (r.MigInstanceId is not null || (uint)r.Gpu >= (uint)count)
            {
                continue;
            }

            ref var g = ref frame.Gpus[first + r.Gpu];
            g.Present = true;
            used++;
            double v = r.Value;
            switch (r.Field)
            {
                case DcgmField.XidErrors: g.Xid = (int)v; break;
                case DcgmField.GpuTemp: g.GpuTempC = (float)v; break;
                case DcgmField.MemoryTemp: g.MemoryTempC = (float)v; break;
                case DcgmField.PowerUsage: g.PowerW = (float)v; break;
                case DcgmField.SmClock: g.SmClockMhz = (float)v; break;
                case DcgmField.GpuUtil: g.UtilPercent = (float)v; break;
                case DcgmField.ClockEventReasons: g.ClockEventReasons = (int)v; break;
                case DcgmField.EccSbeVolTotal: g.EccSbeVolatile = (long)v; break;
                case DcgmField.EccDbeVolTotal: g.EccDbeVolatile = (long)v; break;
                case DcgmField.UncorrectableRemappedRows: g.UncorrectableRemappedRows = (long)v; break;
                case DcgmField.RowRemapPending: g.RowRemapPending = v != 0; break;
                case DcgmField.RowRemapFailure: g.RowRemapFailure = v != 0; break;
                case DcgmField.PcieReplayCounter: g.PcieReplays = (long)v; break;
                // dcgm-exporter exports CRC flit and data errors as two families; the frame keeps their sum.
                case DcgmField.NvlinkCrcFlitErrorCountTotal or DcgmField.NvlinkCrcDataErrorCountTotal: g.NvlinkCrcErrors += (long)v; break;
                case DcgmField.NvlinkReplayErrorCountTotal: g.NvlinkReplays = (long)v; break;
                default: used--; break;
            }
        }

        return used;
    }

    /// <summary>
    /// Writes a node's InfiniBand port counters (<c>infiniband_&lt;counter&gt;_total</c> and <c>infiniband_port_state</c>,
    /// one series per <c>device="mlx5_R"</c>) into its port samples. Series of devices beyond the frame's rails are skipped.
    /// </summary>
    public static int FillPorts(SignalFrame frame, int node, SampleBatch batch)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(batch);
        int first = frame.PortOffsets[node];
        int rails = frame.PortOffsets[node + 1] - first;
        int used = 0;
        foreach (var sample in batch)
        {
            if (!sample.TryGetLabel("device", out string? device) || !device.StartsWith("mlx5_", StringComparison.Ordinal)
                || !int.TryParse(device.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out int rail) || rail >= rails)
            {
                continue;
            }

            ref var p = ref frame.Ports[first + rail];
            long v = (long)sample.Value;
            switch (sample.Name)
            {
                case "infiniband_port_state": p.Up = v == 4; break;
                case "infiniband_link_downed_total": p.LinkDowned = v; break;
                case "infiniband_symbol_error_total": p.SymbolErrors = v; break;
                case "infiniband_link_error_recovery_total": p.LinkErrorRecovery = v; break;
                case "infiniband_local_link_integrity_errors_total": p.LocalLinkIntegrityErrors = v; break;
                case "infiniband_excessive_buffer_overrun_errors_total": p.ExcessiveBufferOverrunErrors = v; break;
                case "infiniband_port_rcv_errors_total": p.PortRcvErrors = v; break;
                case "infiniband_port_xmit_discards_total": p.PortXmitDiscards = v; break;
                case "infiniband_rnr_nak_retry_err_total": p.RnrNakRetryErrors = v; break;
                default: continue;
            }

            p.Present = true;
            used++;
        }

        return used;
    }
}
