using System.Buffers;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using NeoCloud.Fleet.Topology;
using NeoCloud.Kernel.Ids;
using NeoCloud.Kernel.Manifests;
using NeoCloud.Simulator.Faults;
using NeoCloud.Simulator.Randomness;
using NeoCloud.Simulator.Rendering;
using NeoCloud.Simulator.Scripting;
using NeoCloud.Simulator.Time;
using NeoCloud.Simulator.Workload;

namespace NeoCloud.Simulator.Twin;

/// <summary>
/// The digital twin of a fleet on virtual time: every GPU, node and fabric port with its signals, a synthetic load,
/// and faults with ground truth. Deterministic: the same topology, seed, options and script give the same states.
/// </summary>
public sealed class FleetTwin
{
    private const int ChunkSize = 8192;

    private readonly TwinState _state;
    private readonly SyntheticWorkload _synthetic;
    private readonly FaultEngine _faults;
    private readonly DcgmPageRenderer _dcgm;
    private readonly IbCounterRenderer _ib;
    private readonly PriorityQueue<Action, (DateTimeOffset At, long Sequence)> _timed = new();
    private readonly List<(DateTimeOffset At, int Order, FaultRequest Request)> _scripted = [];
    private readonly long _seed;
    private readonly float _thermalAlpha;
    private SimRandom _faultRng;
    private SimRandom _workloadRng;
    private long _timedSequence;
    private int _scriptedNext;
    private double _allocatedGpuSeconds;
    private double _allocationRatioSum;

    public FleetTwin(FleetTopology topology, int seed, SimulationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(topology);
        Options = options ?? new SimulationOptions();
        Options.Validate();
        Clock = new VirtualClock(Options.Start);
        _seed = seed;
        _state = new TwinState(topology, Options, Clock);
        _synthetic = new SyntheticWorkload(_state);
        _faults = new FaultEngine(_state, _synthetic);
        _synthetic.FaultOnGpu = _faults.BreakingGpu;
        _faults.Injected += f => FaultInjected?.Invoke(this, f);
        _faults.Cleared += f => FaultCleared?.Invoke(this, f);
        _faults.JobSignalReported += s => JobSignalReported?.Invoke(this, s);
        _faults.ExternalWorkHit += (f, direct, fabric) => ExternalWorkHit?.Invoke(this, new ExternalWorkHit(f, direct, fabric));
        _dcgm = new DcgmPageRenderer(topology);
        _ib = new IbCounterRenderer(topology);
        Workload = new WorkloadControl(_state, _synthetic);
        _faultRng = SimRandom.For(seed, 1);
        _workloadRng = SimRandom.For(seed, 2);
        ActuationRandom = SimRandom.For(seed, 3);
        _thermalAlpha = (float)(1 - Math.Exp(-Options.Tick.TotalSeconds / GpuStatesPhysics.ThermalTimeConstant.TotalSeconds));
        _faults.ScheduleFirstRandom(Clock.GetUtcNow(), ref _faultRng);
    }

    /// <summary>A fault began (random, scripted or injected): ground truth for MTTD.</summary>
    public event EventHandler<InjectedFault>? FaultInjected;

    /// <summary>A fault ended (repair, remediation, or its own duration): ground truth for MTTR.</summary>
    public event EventHandler<InjectedFault>? FaultCleared;

    /// <summary>A running job reported a problem itself (NCCL watchdog timeout).</summary>
    public event EventHandler<JobSignal>? JobSignalReported;

    /// <summary>A fault broke work an executor assigned through <see cref="Workload"/>; raised under the twin's lock.</summary>
    public event EventHandler<ExternalWorkHit>? ExternalWorkHit;

    /// <summary>The end of every tick, under the twin's lock: executors advance the work they run in virtual time here.</summary>
    public event EventHandler<DateTimeOffset>? Ticked;

    public FleetTopology Topology => _state.Topology;
    public SimulationOptions Options { get; }

    /// <summary>The twin's virtual time; hand it to code under simulation as its <see cref="TimeProvider"/>.</summary>
    public VirtualClock Clock { get; }

    public DateTimeOffset Now => Clock.GetUtcNow();
    public long Ticks => _state.TickIndex;

    /// <summary>Put work on GPUs yourself, or read what the synthetic load holds.</summary>
    public WorkloadControl Workload { get; }

    /// <summary>Every fault injected so far, in onset order, with <see cref="InjectedFault.ClearedAt"/> once it ended.</summary>
    public IReadOnlyList<InjectedFault> GroundTruth => _faults.GroundTruth;

    public IReadOnlyList<JobSignal> JobSignals => _faults.JobSignals;

    /// <summary>Random faults expected per virtual hour over this fleet with these options.</summary>
    public double ExpectedRandomFaultsPerHour => _faults.RandomRatePerHour;

    /// <summary>GPU-hours held by work since the start.</summary>
    public double AllocatedGpuHours => _allocatedGpuSeconds / 3600.0;

    /// <summary>Mean over ticks of allocated GPUs ÷ all GPUs.</summary>
    public double MeanAllocationRatio => _state.TickIndex == 0 ? 0 : _allocationRatioSum / _state.TickIndex;

    internal TwinState State => _state;
    internal FaultEngine Faults => _faults;
    internal SyntheticWorkload Synthetic => _synthetic;
    internal SimRandom ActuationRandom;

    /// <summary>Advances by whole ticks until at least <paramref name="duration"/> of virtual time has passed.</summary>
    public void Step(TimeSpan duration)
    {
        var end = Now + duration;
        while (Now < end)
        {
            Tick();
        }
    }

    /// <summary>Like <see cref="Step"/>, checking for cancellation between ticks.</summary>
    public void RunFor(TimeSpan duration, CancellationToken cancellationToken)
    {
        var end = Now + duration;
        while (Now < end)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Tick();
        }
    }

    /// <summary>Advances exactly one tick.</summary>
    public void Tick()
    {
        lock (_state.Gate)
        {
            Clock.Advance(Options.Tick);
            var now = Now;

            while (_timed.TryPeek(out var action, out var key) && key.At <= now)
            {
                _timed.Dequeue();
                action();
            }

            while (_scriptedNext < _scripted.Count && _scripted[_scriptedNext].At <= now)
            {
                var (at, _, request) = _scripted[_scriptedNext++];
                InjectAt(request, at, scripted: true);
            }

            while (_faults.NextRandomAt <= now)
            {
                var (record, duration) = _faults.InjectNextRandom(ref _faultRng);
                if (duration is { } d && record.IsActive)
                {
                    At(record.OnsetAt + d, () => ClearIfActive(record.Id, record.OnsetAt + d));
                }
            }

            _faults.Tick(ref _faultRng);
            _state.TickIndex++;
            _synthetic.Tick(ref _workloadRng, Options.SyntheticLoad);
            UpdateGpus();

            var alive = _state.NodeAlive;
            var lastSeen = _state.LastSeen;
            for (int n = 0; n < alive.Length; n++)
            {
                if (alive[n])
                {
                    lastSeen[n] = now;
                }
            }

            double tickSeconds = Options.Tick.TotalSeconds;
            _allocatedGpuSeconds += _state.AllocatedGpus * tickSeconds;
            _allocationRatioSum += _state.Gpus.Count == 0 ? 0 : (double)_state.AllocatedGpus / _state.Gpus.Count;
            Ticked?.Invoke(this, now);
        }
    }

    private void UpdateGpus()
    {
        var gpus = _state.Gpus;
        int chunks = (gpus.Count + ChunkSize - 1) / ChunkSize;
        float tickSeconds = (float)Options.Tick.TotalSeconds;
        long tick = _state.TickIndex;
        var alive = _state.NodeAlive;
        float alpha = _thermalAlpha;
        long seed = _seed;

        // Each chunk draws its noise from its own stream keyed by (seed, tick, chunk): the result does not depend on threads.
        void Chunk(int c)
        {
            var rng = SimRandom.For(seed, tick + 1_000_000, c);
            gpus.Update(c * ChunkSize, Math.Min(gpus.Count, (c + 1) * ChunkSize), alive, tickSeconds, alpha, ref rng);
        }

        if (chunks <= 1 || Options.MaxDegreeOfParallelism <= 1)
        {
            for (int c = 0; c < chunks; c++)
            {
                Chunk(c);
            }
        }
        else
        {
            Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = Options.MaxDegreeOfParallelism }, Chunk);
        }
    }

    /// <summary>Injects a fault now; its signals show from the next scrape.</summary>
    public InjectedFault Inject(FaultRequest request)
    {
        lock (_state.Gate)
        {
            return InjectAt(request, Now, scripted: true);
        }
    }

    /// <summary>Schedules a fault for a virtual instant (not before now); it is injected by the tick that reaches it.</summary>
    public void Schedule(FaultRequest request, DateTimeOffset at)
    {
        lock (_state.Gate)
        {
            if (_faults.Validate(request) is { } problem)
            {
                throw new ArgumentException(problem, nameof(request));
            }

            AddScripted(at < Now ? Now : at, request);
        }
    }

    /// <summary>Schedules every fault of a script, at its offset from the twin's start; all targets are checked first.</summary>
    /// <exception cref="FaultScriptException">A target does not exist in this fleet (with the script line).</exception>
    public void Schedule(FaultScript script)
    {
        lock (_state.Gate)
        {
            ArgumentNullException.ThrowIfNull(script);
            var errors = new List<SpecError>();
            foreach (var f in script.Faults)
            {
                if (_faults.Validate(f.Request) is { } problem)
                {
                    errors.Add(new SpecError(f.Line, f.Column, f.Path, problem));
                }
            }

            if (errors.Count > 0)
            {
                throw new FaultScriptException(errors);
            }

            foreach (var f in script.Faults)
            {
                AddScripted(Options.Start + f.At, f.Request);
            }
        }
    }

    private void AddScripted(DateTimeOffset at, FaultRequest request)
    {
        _scripted.Add((at, _scripted.Count, request));
        var pending = _scripted.Skip(_scriptedNext).OrderBy(s => s.At).ThenBy(s => s.Order).ToList();
        _scripted.RemoveRange(_scriptedNext, _scripted.Count - _scriptedNext);
        _scripted.AddRange(pending);
    }

    private InjectedFault InjectAt(FaultRequest request, DateTimeOffset at, bool scripted)
    {
        var record = _faults.Inject(request, at, scripted, ref _faultRng);
        if (request.Duration is { } d && record.IsActive)
        {
            At(at + d, () => ClearIfActive(record.Id, at + d));
        }

        return record;
    }

    private void ClearIfActive(string faultId, DateTimeOffset at)
    {
        if (_faults.TryFind(faultId, out var f))
        {
            _faults.Clear(f, at, repaired: true);
        }
    }

    /// <summary>Runs an action when virtual time reaches <paramref name="at"/> (remediations finishing, faults expiring).</summary>
    internal void At(DateTimeOffset at, Action action) => _timed.Enqueue(action, (at, _timedSequence++));

    /// <summary>A task that completes when the twin's ticks reach <paramref name="at"/> (after that tick's actions ran).</summary>
    internal Task WhenAt(DateTimeOffset at)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        At(at, done.SetResult);
        return done.Task;
    }

    /// <summary>Writes a node's dcgm-exporter page; false (and nothing written) when the node does not answer.</summary>
    public bool RenderDcgmExporter(NodeId node, IBufferWriter<byte> output)
    {
        lock (_state.Gate)
        {
            int n = _state.NodeIndex(node);
            if (!_state.NodeAlive[n])
            {
                return false;
            }

            _dcgm.Render(_state, n, output);
            return true;
        }
    }

    /// <summary>Writes a node's InfiniBand port counters as Prometheus text; false when the node does not answer.</summary>
    public bool RenderIbPortCounters(NodeId node, IBufferWriter<byte> output)
    {
        lock (_state.Gate)
        {
            int n = _state.NodeIndex(node);
            if (!_state.NodeAlive[n])
            {
                return false;
            }

            _ib.Render(_state, n, output);
            return true;
        }
    }

    public NodeHeartbeat GetHeartbeat(NodeId node)
    {
        lock (_state.Gate)
        {
            int n = _state.NodeIndex(node);
            return new NodeHeartbeat(node, _state.LastSeen[n], _state.NodeAlive[n]);
        }
    }

    public GpuReading ReadGpu(GpuId gpu) => ReadGpu(_state.GpuIndex(gpu));

    public GpuReading ReadGpu(int gpuIndex)
    {
        lock (_state.Gate)
        {
            var g = _state.Gpus;
            int i = gpuIndex;
            return new GpuReading(
                _state.Topology.Gpus[i].Id, g.Util[i], g.FbUsedMiB[i], g.GpuTemp[i], g.MemTemp[i], g.PowerW[i], g.SmClockMhz[i], g.EnergyMj[i],
                g.SbeVol[i], g.DbeVol[i], g.SbeAgg[i], g.DbeAgg[i], g.CorrectableRemapped[i], g.UncorrectableRemapped[i],
                g.RemapPending[i] != 0, g.RemapFailure[i] != 0, g.LastXid[i], g.XidCount[i], g.NvlCrcFlit[i], g.NvlCrcData[i], g.NvlReplay[i],
                g.PcieReplay[i], (ClockEventReasons)g.ClockEvents[i], g.Intensity[i]);
        }
    }

    /// <summary>One InfiniBand counter (sysfs name, e.g. <c>link_downed</c>) of a node's rail.</summary>
    public long ReadPortCounter(NodeId node, int rail, string counter)
    {
        lock (_state.Gate)
        {
            int c = Array.IndexOf(FabricPorts.CounterNames, counter);
            if (c < 0)
            {
                throw new ArgumentException($"Unknown port counter '{counter}'. Known: {string.Join(", ", FabricPorts.CounterNames)}.", nameof(counter));
            }

            return _state.Ports.Get(PortIndex(node, rail), c);
        }
    }

    public PortState ReadPortState(NodeId node, int rail)
    {
        lock (_state.Gate)
        {
            return _state.Ports.State[PortIndex(node, rail)];
        }
    }

    /// <summary>
    /// Writes what a scrape of every node would read now into <paramref name="frame"/> (rounded as dcgm-exporter prints
    /// them), without rendering and parsing text: the self-healing simulation's fast path over a whole fleet. A node that
    /// does not answer leaves its GPUs and ports absent, as a timed-out scrape would. The work map carries the
    /// synthetic job id + 1 (0 = idle; executor-held GPUs carry the key they were tagged with, or -1).
    /// </summary>
    public void ReadSignals(NeoCloud.Health.Signals.SignalFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        lock (_state.Gate)
        {
            frame.Begin(Now);
            var g = _state.Gpus;
            var offsets = _state.Topology.GpuOffsets;
            var ports = _state.Ports;
            for (int n = 0; n < _state.Topology.Nodes.Count; n++)
            {
                if (!_state.NodeAlive[n])
                {
                    for (int i = offsets[n]; i < offsets[n + 1]; i++)
                    {
                        frame.WorkOfGpu[i] = WorkKey(i);
                    }

                    continue;
                }

                frame.NodeAnswered[n] = true;
                for (int i = offsets[n]; i < offsets[n + 1]; i++)
                {
                    ref var s = ref frame.Gpus[i];
                    s.Present = true;
                    s.Xid = g.LastXid[i];
                    s.GpuTempC = MathF.Round(g.GpuTemp[i]);
                    s.MemoryTempC = MathF.Round(g.MemTemp[i]);
                    s.PowerW = g.PowerW[i];
                    s.SmClockMhz = (long)g.SmClockMhz[i];
                    s.UtilPercent = MathF.Round(g.Util[i]);
                    s.ClockEventReasons = g.ClockEvents[i];
                    s.EccSbeVolatile = g.SbeVol[i];
                    s.EccDbeVolatile = g.DbeVol[i];
                    s.UncorrectableRemappedRows = g.UncorrectableRemapped[i];
                    s.RowRemapPending = g.RemapPending[i] != 0;
                    s.RowRemapFailure = g.RemapFailure[i] != 0;
                    s.PcieReplays = g.PcieReplay[i];
                    s.NvlinkCrcErrors = g.NvlCrcFlit[i] + g.NvlCrcData[i];
                    s.NvlinkReplays = g.NvlReplay[i];
                    frame.WorkOfGpu[i] = WorkKey(i);
                }

                int rails = Math.Min(ports.RailsOf(n), frame.RailsPerNode);
                for (int r = 0; r < rails; r++)
                {
                    int p = ports.Offsets[n] + r;
                    ref var port = ref frame.Ports[frame.PortOffsets[n] + r];
                    port.Present = true;
                    port.Up = ports.State[p] == PortState.Active;
                    port.LinkDowned = ports.Get(p, FabricPorts.LinkDowned);
                    port.ExcessiveBufferOverrunErrors = ports.Get(p, FabricPorts.ExcessiveBufferOverrun);
                    port.LocalLinkIntegrityErrors = ports.Get(p, FabricPorts.LocalLinkIntegrity);
                    port.RnrNakRetryErrors = ports.Get(p, FabricPorts.RnrNakRetry);
                    port.SymbolErrors = ports.Get(p, FabricPorts.SymbolError);
                    port.LinkErrorRecovery = ports.Get(p, FabricPorts.LinkErrorRecovery);
                    port.PortRcvErrors = ports.Get(p, FabricPorts.PortRcvErrors);
                    port.PortXmitDiscards = ports.Get(p, FabricPorts.PortXmitDiscards);
                }
            }
        }
    }

    private long WorkKey(int gpu) => _state.Owner[gpu] switch
    {
        TwinState.Free => 0,
        TwinState.External => _state.ExternalWork[gpu] != 0 ? _state.ExternalWork[gpu] : -1,
        int job => job + 1L,
    };

    public int RailsOf(NodeId node) => _state.Ports.RailsOf(_state.NodeIndex(node));

    private int PortIndex(NodeId node, int rail)
    {
        int n = _state.NodeIndex(node);
        ArgumentOutOfRangeException.ThrowIfNegative(rail);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(rail, _state.Ports.RailsOf(n));
        return _state.Ports.Offsets[n] + rail;
    }

    /// <summary>A hash of every GPU, node and port signal and of ground truth: equal hashes mean equal runs.</summary>
    public string ComputeStateHash()
    {
        lock (_state.Gate)
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var g = _state.Gpus;
            hash.AppendData(MemoryMarshal.AsBytes(g.Util.AsSpan()));
            hash.AppendData(MemoryMarshal.AsBytes(g.FbUsedMiB.AsSpan()));
            hash.AppendData(MemoryMarshal.AsBytes(g.GpuTemp.AsSpan()));
            hash.AppendData(MemoryMarshal.AsBytes(g.MemTemp.AsSpan()));
            hash.AppendData(MemoryMarshal.AsBytes(g.PowerW.AsSpan()));
            hash.AppendData(MemoryMarshal.AsBytes(g.SmClockMhz.AsSpan()));
            hash.AppendData(MemoryMarshal.AsBytes(g.EnergyMj.AsSpan()));
            hash.AppendData(MemoryMarshal.AsBytes(g.ClockEvents.AsSpan()));
            hash.AppendData(MemoryMarshal.AsBytes(g.SbeVol.AsSpan()));
            hash.AppendData(MemoryMarshal.AsBytes(g.DbeVol.AsSpan()));
            hash.AppendData(MemoryMarshal.AsBytes(g.SbeAgg.AsSpan()));
            hash.AppendData(MemoryMarshal.AsBytes(g.DbeAgg.AsSpan()));
            hash.AppendData(MemoryMarshal.AsBytes(g.CorrectableRemapped.AsSpan()));
            hash.AppendData(MemoryMarshal.AsBytes(g.UncorrectableRemapped.AsSpan()));
            hash.AppendData(g.RemapPending);
            hash.AppendData(g.RemapFailure);
            hash.AppendData(MemoryMarshal.AsBytes(g.LastXid.AsSpan()));
            hash.AppendData(MemoryMarshal.AsBytes(g.XidCount.AsSpan()));
            hash.AppendData(MemoryMarshal.AsBytes(g.NvlCrcFlit.AsSpan()));
            hash.AppendData(MemoryMarshal.AsBytes(g.NvlCrcData.AsSpan()));
            hash.AppendData(MemoryMarshal.AsBytes(g.NvlReplay.AsSpan()));
            hash.AppendData(MemoryMarshal.AsBytes(g.PcieReplay.AsSpan()));
            hash.AppendData(MemoryMarshal.AsBytes(g.Intensity.AsSpan()));
            hash.AppendData(MemoryMarshal.AsBytes(_state.Owner.AsSpan()));
            hash.AppendData(MemoryMarshal.AsBytes(_state.NodeAlive.AsSpan()));
            hash.AppendData(MemoryMarshal.AsBytes(_state.Ports.Counters.AsSpan()));
            hash.AppendData(MemoryMarshal.AsBytes(_state.Ports.State.AsSpan()));
            foreach (var f in GroundTruth)
            {
                hash.AppendData(System.Text.Encoding.UTF8.GetBytes($"{f.Id}|{f.Kind}|{f.Cause}|{f.Target}|{f.OnsetAt:O}|{f.ClearedAt:O}\n"));
            }

            return Convert.ToHexStringLower(hash.GetHashAndReset());
        }
    }
}
