using System.Globalization;
using System.Runtime.CompilerServices;
using NeoCloud.Fleet.Topology;
using NeoCloud.Health.Catalog;
using NeoCloud.Health.Findings;
using NeoCloud.Health.Signals;

namespace NeoCloud.Health.Detection;

/// <summary>
/// The per-GPU detectors: XID bursts, ECC (DBE on any rise, SBE rate), row remapping, thermal and power-brake slowdown,
/// PCIe and NVLink error rates. State is one slot per GPU (dense index) in flat arrays; a GPU that is not present keeps
/// its last values, so absence is never a change, and a counter that goes down is a reset that only re-baselines.
/// </summary>
internal sealed class GpuSignalDetector
{
    private const int Dbe = 0;
    private const int SbeRate = 1;
    private const int RemapPending = 2;
    private const int RemapFailure = 3;
    private const int Thermal = 4;
    private const int PowerBrake = 5;
    private const int PcieRate = 6;
    private const int NvlinkCrcRate = 7;
    private const int NvlinkReplayRate = 8;
    private const int Rules = 9;

    private const int SwThermal = 0x20;
    private const int HwThermal = 0x40;
    private const int HwPowerBrake = 0x80;

    private readonly FleetTopology _topology;
    private readonly FaultCatalog _catalog;
    private readonly DetectionOptions _options;
    private readonly FindingIssuer _issuer;
    private readonly FaultCode[] _codes;
    private readonly int[] _nodeOfGpu;

    private readonly GpuSample[] _prev;
    private readonly long[] _prevTicks;
    private readonly Episode[] _episodes;
    private readonly long[] _xidLastEventTicks;
    private readonly long[] _xidBurstStartTicks;
    private readonly int[] _xidBurstRank;

    /// <summary>
    /// Per GPU: the work it carried in the previous round. An error that crashes a job (XID 13, 31, 43…) often leaves the
    /// GPU idle by the next scrape; the finding then names the job that was on it, so diagnosis can still tell a job's
    /// error on several GPUs from a GPU's fault.
    /// </summary>
    private readonly long[] _lastWork;

    /// <summary>Per GPU: every episode idle, so a round with unchanged counters and normal levels needs no detector.</summary>
    private readonly bool[] _quiet;

    public GpuSignalDetector(FleetTopology topology, FaultCatalog catalog, DetectionOptions options, FindingIssuer issuer)
    {
        _topology = topology;
        _catalog = catalog;
        _options = options;
        _issuer = issuer;
        _codes =
        [
            catalog.Get("ECC-DBE"), catalog.Get("ECC-SBE-RATE"), catalog.Get("ROW-REMAP-PENDING"), catalog.Get("ROW-REMAP-FAILURE"),
            catalog.Get("THERMAL-THROTTLE"), catalog.Get("POWER-BRAKE"), catalog.Get("PCIE-REPLAY-RATE"), catalog.Get("NVLINK-CRC-RATE"),
            catalog.Get("NVLINK-REPLAY-RATE"),
        ];
        int gpus = topology.GpuCount;
        _nodeOfGpu = new int[gpus];
        for (int n = 0; n < topology.Nodes.Count; n++)
        {
            _nodeOfGpu.AsSpan(topology.GpuOffsets[n], topology.GpuOffsets[n + 1] - topology.GpuOffsets[n]).Fill(n);
        }

        _prev = new GpuSample[gpus];
        _prevTicks = new long[gpus];
        _episodes = new Episode[gpus * Rules];
        _xidLastEventTicks = new long[gpus];
        _xidBurstStartTicks = new long[gpus];
        _xidBurstRank = new int[gpus];
        _quiet = new bool[gpus];
        _lastWork = new long[gpus];
    }

    public void Observe(SignalFrame frame, IFindingSink sink)
    {
        long at = frame.At.UtcTicks;
        int raise = _options.RaiseAfterRounds;
        int clear = _options.ClearAfterRounds;
        var gpus = frame.Gpus;
        for (int i = 0; i < gpus.Length; i++)
        {
            ref readonly var cur = ref gpus[i];
            if (!cur.Present)
            {
                continue;
            }

            ref var prev = ref _prev[i];
            bool seen = _prevTicks[i] != 0;
            if (seen && _quiet[i] && Unchanged(cur, prev))
            {
                // XID, counters and flags are equal; of the rest only the clock-event mask is read back (as evidence).
                prev.ClockEventReasons = cur.ClockEventReasons;
                _prevTicks[i] = at;
                continue;
            }

            var episodes = _episodes.AsSpan(i * Rules, Rules);

            // A sticky XID (the same value scrape after scrape) is one event; a GPU first seen with an XID is reported:
            // the detector cannot tell an old error from a new one, and the safe reading is that it is new.
            if (cur.Xid != 0 && cur.Xid != (seen ? prev.Xid : 0))
            {
                OnXid(frame, i, seen ? prev.Xid : 0, cur.Xid, at, sink);
            }

            if (seen)
            {
                double seconds = (at - _prevTicks[i]) / (double)TimeSpan.TicksPerSecond;
                if (cur.EccDbeVolatile >= prev.EccDbeVolatile
                    && episodes[Dbe].Step(cur.EccDbeVolatile > prev.EccDbeVolatile, at, 1, clear))
                {
                    RaiseCounter(frame, i, Dbe, "ecc_dbe_volatile", prev.EccDbeVolatile, cur.EccDbeVolatile, null, 0, sink);
                }

                StepRate(frame, i, SbeRate, "ecc_sbe_volatile", "per_hour", prev.EccSbeVolatile, cur.EccSbeVolatile, seconds / 3600, _options.SbePerHour, sink);
                StepRate(frame, i, PcieRate, "pcie_replays", "per_minute", prev.PcieReplays, cur.PcieReplays, seconds / 60, _options.PcieReplaysPerMinute, sink);
                StepRate(frame, i, NvlinkCrcRate, "nvlink_crc_errors", "per_minute", prev.NvlinkCrcErrors, cur.NvlinkCrcErrors, seconds / 60, _options.NvlinkCrcPerMinute, sink);
                StepRate(frame, i, NvlinkReplayRate, "nvlink_replays", "per_minute", prev.NvlinkReplays, cur.NvlinkReplays, seconds / 60, _options.NvlinkReplaysPerMinute, sink);
            }

            if (episodes[RemapFailure].Step(cur.RowRemapFailure, at, 1, clear))
            {
                RaiseFlag(frame, i, RemapFailure, "row_remap_failure", sink);
            }

            if (episodes[RemapPending].Step(cur.RowRemapPending, at, raise, clear))
            {
                RaiseFlag(frame, i, RemapPending, "row_remap_pending", sink);
            }

            bool hot = (cur.ClockEventReasons & (HwThermal | SwThermal)) != 0
                || cur.GpuTempC > _options.GpuTempLimitC || cur.MemoryTempC > _options.MemoryTempLimitC;
            if (episodes[Thermal].Step(hot, at, raise, clear))
            {
                RaiseThermal(frame, i, sink);
            }

            if (episodes[PowerBrake].Step((cur.ClockEventReasons & HwPowerBrake) != 0, at, raise, clear))
            {
                RaiseFlag(frame, i, PowerBrake, "clock_event_reasons", sink);
            }

            prev = cur;
            _prevTicks[i] = at;
            _quiet[i] = Episode.AllIdle(episodes);
        }

        frame.WorkOfGpu.AsSpan().CopyTo(_lastWork);
    }

    /// <summary>
    /// The fast path of a healthy GPU: same XID and counters as last round, no flag, no slowdown bit, temperatures in
    /// range. With every episode idle such a round would step every detector to "not over" and change nothing.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool Unchanged(in GpuSample cur, in GpuSample prev) =>
        cur.Xid == prev.Xid
        && cur.EccDbeVolatile == prev.EccDbeVolatile
        && cur.EccSbeVolatile == prev.EccSbeVolatile
        && cur.PcieReplays == prev.PcieReplays
        && cur.NvlinkCrcErrors == prev.NvlinkCrcErrors
        && cur.NvlinkReplays == prev.NvlinkReplays
        && !cur.RowRemapFailure
        && !cur.RowRemapPending
        && (cur.ClockEventReasons & (HwThermal | SwThermal | HwPowerBrake)) == 0
        && cur.GpuTempC <= _options.GpuTempLimitC
        && cur.MemoryTempC <= _options.MemoryTempLimitC;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void StepRate(SignalFrame frame, int gpu, int rule, string signal, string unit, long prev, long cur, double intervalUnits, double threshold, IFindingSink sink)
    {
        // A counter that went down was reset (GPU reset, reboot): this round only re-baselines, it is neither over nor under.
        if (cur < prev || intervalUnits <= 0)
        {
            return;
        }

        double rate = (cur - prev) / intervalUnits;
        if (_episodes[(gpu * Rules) + rule].Step(rate > threshold, frame.At.UtcTicks, _options.RaiseAfterRounds, _options.ClearAfterRounds))
        {
            RaiseCounter(frame, gpu, rule, signal, prev, cur, unit, rate, sink, threshold);
        }
    }

    private void OnXid(SignalFrame frame, int gpu, int previous, int xid, long at, IFindingSink sink)
    {
        var fault = _catalog.Xid(xid);
        int rank = ((fault.Fatal ? 1 : 0) * 16) + (int)fault.Severity;
        bool newBurst = _xidLastEventTicks[gpu] == 0 || at - _xidLastEventTicks[gpu] > _options.XidBurstSilence.Ticks;
        _xidLastEventTicks[gpu] = at;
        if (newBurst)
        {
            _xidBurstStartTicks[gpu] = at;
            _xidBurstRank[gpu] = rank;
        }
        else if (rank > _xidBurstRank[gpu])
        {
            _xidBurstRank[gpu] = rank;
        }
        else
        {
            return;
        }

        string id = GpuIdOf(gpu);
        var evidence = new Evidence[]
        {
            new(At(_prevTicks[gpu] == 0 ? at : _prevTicks[gpu]), id, "xid", previous),
            new(frame.At, id, "xid", xid),
        };
        string summary = newBurst
            ? Invariant($"GPU {id} reported XID {xid} ({fault.Name}).")
            : Invariant($"GPU {id} reported XID {xid} ({fault.Name}), more severe than the earlier XIDs of its burst.");
        Raise(frame, gpu, fault, At(_xidBurstStartTicks[gpu]), summary, evidence, sink);
    }

    private void RaiseCounter(SignalFrame frame, int gpu, int rule, string signal, long prev, long cur, string? unit, double rate, IFindingSink sink, double? threshold = null)
    {
        string id = GpuIdOf(gpu);
        var fault = _codes[rule];
        var evidence = unit is null
            ? new Evidence[] { new(At(_prevTicks[gpu]), id, signal, prev), new(frame.At, id, signal, cur) }
            : [new(At(_prevTicks[gpu]), id, signal, prev), new(frame.At, id, signal, cur), new(frame.At, id, signal + "_" + unit, rate, threshold)];
        string summary = unit is null
            ? Invariant($"GPU {id}: {fault.Name} ({signal} rose from {prev} to {cur}).")
            : Invariant($"GPU {id}: {fault.Name} ({rate:0.##} {unit.Replace('_', ' ')}, threshold {threshold:0.##}) for {_options.RaiseAfterRounds} rounds.");
        Raise(frame, gpu, fault, At(_episodes[(gpu * Rules) + rule].FirstOverTicks), summary, evidence, sink);
    }

    private void RaiseFlag(SignalFrame frame, int gpu, int rule, string signal, IFindingSink sink)
    {
        string id = GpuIdOf(gpu);
        var fault = _codes[rule];
        ref readonly var cur = ref frame.Gpus[gpu];
        var evidence = new Evidence[]
        {
            new(At(_prevTicks[gpu] == 0 ? frame.At.UtcTicks : _prevTicks[gpu]), id, signal, FlagValue(_prev[gpu], rule)),
            new(frame.At, id, signal, FlagValue(cur, rule)),
            new(frame.At, id, "uncorrectable_remapped_rows", cur.UncorrectableRemappedRows),
        };
        Raise(frame, gpu, fault, At(_episodes[(gpu * Rules) + rule].FirstOverTicks), Invariant($"GPU {id}: {fault.Name}."), evidence, sink);
    }

    private static double FlagValue(in GpuSample sample, int rule) => rule switch
    {
        RemapFailure => sample.RowRemapFailure ? 1 : 0,
        RemapPending => sample.RowRemapPending ? 1 : 0,
        _ => sample.ClockEventReasons,
    };

    private void RaiseThermal(SignalFrame frame, int gpu, IFindingSink sink)
    {
        string id = GpuIdOf(gpu);
        var fault = _codes[Thermal];
        ref readonly var cur = ref frame.Gpus[gpu];
        var evidence = new Evidence[]
        {
            new(frame.At, id, "clock_event_reasons", cur.ClockEventReasons),
            new(frame.At, id, "gpu_temp_c", cur.GpuTempC, _options.GpuTempLimitC),
            new(frame.At, id, "memory_temp_c", cur.MemoryTempC, _options.MemoryTempLimitC),
            new(frame.At, id, "sm_clock_mhz", cur.SmClockMhz),
        };
        string summary = Invariant($"GPU {id}: {fault.Name} for {_options.RaiseAfterRounds} rounds (GPU {cur.GpuTempC:0} °C, memory {cur.MemoryTempC:0} °C, clock event reasons 0x{cur.ClockEventReasons:x}).");
        Raise(frame, gpu, fault, At(_episodes[(gpu * Rules) + Thermal].FirstOverTicks), summary, evidence, sink);
    }

    private void Raise(SignalFrame frame, int gpu, FaultCode fault, DateTimeOffset firstSeen, string summary, Evidence[] evidence, IFindingSink sink) =>
        sink.Raise(_issuer.Issue(
            fault, new ComponentRef(ComponentKind.Gpu, GpuIdOf(gpu)), _topology.Nodes[_nodeOfGpu[gpu]].Id.Value, firstSeen, frame.At, summary, evidence,
            frame.WorkOfGpu[gpu] != 0 ? frame.WorkOfGpu[gpu] : _lastWork[gpu]));

    private string GpuIdOf(int gpu) => _topology.Gpus[gpu].Id.Value;

    private static DateTimeOffset At(long utcTicks) => new(utcTicks, TimeSpan.Zero);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
