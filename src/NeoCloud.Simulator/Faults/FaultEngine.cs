using System.Globalization;
using NeoCloud.Fleet.Actuation;
using NeoCloud.Fleet.Topology;
using NeoCloud.Kernel.Ids;
using NeoCloud.Simulator.Randomness;
using NeoCloud.Simulator.Twin;
using NeoCloud.Simulator.Workload;

namespace NeoCloud.Simulator.Faults;

/// <summary>Injects faults (random, scripted or direct), applies their signals, keeps ground truth, and clears them on repair.</summary>
internal sealed class FaultEngine
{
    // Shares of the 419 unexpected Llama 3 interruptions by cause (FACTS); CPU is 2 of 419. The shares do not add
    // to 100% (the paper leaves a remainder unnamed), so they are normalised and the total rate kept.
    private static readonly (FaultCause Cause, double Percent)[] Interruptions =
    [
        (FaultCause.FaultyGpu, 30.1),
        (FaultCause.GpuHbm3Memory, 17.2),
        (FaultCause.SoftwareBug, 12.9),
        (FaultCause.NetworkSwitchOrCable, 8.4),
        (FaultCause.HostMaintenance, 7.6),
        (FaultCause.GpuSram, 4.5),
        (FaultCause.GpuSystemProcessor, 4.1),
        (FaultCause.Nic, 1.7),
        (FaultCause.NcclWatchdog, 1.7),
        (FaultCause.SilentDataCorruption, 1.4),
        (FaultCause.GpuThermal, 0.8),
        (FaultCause.Cpu, 100.0 * 2 / 419),
    ];

    private static readonly double InterruptionPercentTotal = Interruptions.Sum(i => i.Percent);

    /// <summary>The causes of the Llama 3 breakdown; the others (PDU, leaf switch, straggler) are extra facility and fail-slow noise.</summary>
    public static bool IsInterruptionCause(FaultCause cause) => Array.Exists(Interruptions, i => i.Cause == cause);

    private readonly TwinState _state;
    private readonly SyntheticWorkload _workload;
    private readonly List<InjectedFault> _groundTruth = [];
    private readonly Dictionary<string, int> _truthIndex = new(StringComparer.Ordinal);
    private readonly List<ActiveFault> _active = [];
    private readonly List<JobSignal> _jobSignals = [];
    private readonly double[] _randomWeights;
    private readonly double _randomRatePerHour;
    private int _nextId = 1;

    public FaultEngine(TwinState state, SyntheticWorkload workload)
    {
        _state = state;
        _workload = workload;
        var o = state.Options;
        double m = o.RandomFaults ? o.FaultRateMultiplier : 0;
        int gpus = state.Gpus.Count;
        _randomWeights =
        [
            m * o.InterruptionsPerGpuHour * gpus,
            m * o.PduFailuresPerPduHour * state.Pdus.Count,
            m * o.LeafSwitchFailuresPerSwitchHour * state.LeafSwitches.Count,
            m * o.StragglersPerGpuHour * gpus,
        ];
        _randomRatePerHour = _randomWeights.Sum();
        NextRandomAt = DateTimeOffset.MaxValue;
    }

    public event Action<InjectedFault>? Injected;

    public event Action<InjectedFault>? Cleared;

    public event Action<JobSignal>? JobSignalReported;

    /// <summary>A fault broke work an executor put on the GPUs: the GPUs hit directly, and those that only lost a fabric port.</summary>
    public event Action<InjectedFault, IReadOnlyList<int>, IReadOnlyList<int>>? ExternalWorkHit;

    public IReadOnlyList<InjectedFault> GroundTruth => _groundTruth;
    public IReadOnlyList<ActiveFault> Active => _active;
    public IReadOnlyList<JobSignal> JobSignals => _jobSignals;

    /// <summary>Expected random faults per virtual hour over the whole fleet.</summary>
    public double RandomRatePerHour => _randomRatePerHour;

    public DateTimeOffset NextRandomAt { get; private set; }

    public void ScheduleFirstRandom(DateTimeOffset from, ref SimRandom rng) => NextRandomAt = NextArrival(from, ref rng);

    /// <summary>Injects the random fault due at <see cref="NextRandomAt"/> and schedules the one after.</summary>
    public (InjectedFault Record, TimeSpan? Duration) InjectNextRandom(ref SimRandom rng)
    {
        var at = NextRandomAt;
        var (request, cause) = DrawRandom(ref rng);
        var record = Inject(request with { Cause = cause }, at, scripted: false, ref rng);
        NextRandomAt = NextArrival(at, ref rng);
        return (record, request.Duration);
    }

    private DateTimeOffset NextArrival(DateTimeOffset from, ref SimRandom rng)
    {
        if (_randomRatePerHour <= 0)
        {
            return DateTimeOffset.MaxValue;
        }

        double hours = rng.NextExponential(_randomRatePerHour);
        return hours > 1e6 ? DateTimeOffset.MaxValue : from + TimeSpan.FromHours(hours);
    }

    private (FaultRequest Request, FaultCause Cause) DrawRandom(ref SimRandom rng)
    {
        var topo = _state.Topology;
        string Gpu(ref SimRandom r) => topo.Gpus[r.NextInt(topo.GpuCount)].Id.Value;
        string Node(ref SimRandom r) => topo.Nodes[r.NextInt(topo.Nodes.Count)].Id.Value;
        string Port(ref SimRandom r)
        {
            int node = r.NextInt(topo.Nodes.Count);
            int rails = _state.Ports.RailsOf(node);
            return $"{topo.Nodes[node].Id}/mlx5_{r.NextInt(Math.Max(1, rails))}";
        }

        int category = rng.NextWeighted(_randomWeights, _randomRatePerHour);
        switch (category)
        {
            case 1:
                return (new FaultRequest(FaultKind.PduDown, _state.Pdus[rng.NextInt(_state.Pdus.Count)].Value,
                    Duration: TimeSpan.FromMinutes(rng.NextDouble(20, 90))), FaultCause.PduFailure);
            case 2:
                return (new FaultRequest(FaultKind.SwitchDown, _state.LeafSwitches[rng.NextInt(_state.LeafSwitches.Count)].Id.Value,
                    Duration: TimeSpan.FromMinutes(rng.NextDouble(30, 180))), FaultCause.LeafSwitchFailure);
            case 3:
                // Fail-slow lasts tens of seconds to ~10 hours (Alibaba Falcon): log-uniform over that span.
                double minutes = Math.Exp(rng.NextDouble(Math.Log(1), Math.Log(600)));
                return (new FaultRequest(FaultKind.Straggler, GangGpuOrAny(ref rng), Duration: TimeSpan.FromMinutes(minutes)), FaultCause.Straggler);
        }

        Span<double> weights = stackalloc double[Interruptions.Length];
        for (int i = 0; i < weights.Length; i++)
        {
            weights[i] = Interruptions[i].Percent;
        }

        var cause = Interruptions[rng.NextWeighted(weights, InterruptionPercentTotal)].Cause;
        FaultRequest request = cause switch
        {
            FaultCause.FaultyGpu => new(FaultKind.Xid, Gpu(ref rng), Xid: Pick(ref rng, [79, 79, 79, 79, 74, 74, 48, 46, 62, 95])),
            FaultCause.GpuHbm3Memory => new(FaultKind.EccDbeStorm, Gpu(ref rng)),
            FaultCause.SoftwareBug => new(FaultKind.Xid, JobGpuOrAny(ref rng), Xid: Pick(ref rng, [13, 13, 31, 31, 43])),
            FaultCause.NetworkSwitchOrCable when rng.NextDouble() < 0.15 =>
                new(FaultKind.SwitchDown, _state.LeafSwitches[rng.NextInt(_state.LeafSwitches.Count)].Id.Value),
            FaultCause.NetworkSwitchOrCable => new(FaultKind.LinkDown, Port(ref rng)),
            FaultCause.HostMaintenance or FaultCause.Cpu => new(FaultKind.HeartbeatLoss, Node(ref rng)),
            FaultCause.GpuSram => new(FaultKind.Xid, Gpu(ref rng), Xid: Pick(ref rng, [94, 94, 94, 95, 95])),
            FaultCause.GpuSystemProcessor => new(FaultKind.Xid, Gpu(ref rng), Xid: Pick(ref rng, [119, 120])),
            FaultCause.Nic => new(FaultKind.PortErrors, Port(ref rng)),
            FaultCause.NcclWatchdog => new(FaultKind.NcclTimeout, JobGpuOrAny(ref rng)),
            FaultCause.SilentDataCorruption => new(FaultKind.SilentDataCorruption, Gpu(ref rng)),
            _ => new(FaultKind.Thermal, Gpu(ref rng)),
        };
        return (request, cause);
    }

    private static int Pick(ref SimRandom rng, ReadOnlySpan<int> choices) => choices[rng.NextInt(choices.Length)];

    /// <summary>A software fault hits the GPUs of a running job; this names the job's first GPU (the job is found from it).</summary>
    private string JobGpuOrAny(ref SimRandom rng)
    {
        var jobs = _workload.RunningJobs;
        int gpu = jobs.Count > 0 ? jobs[rng.NextInt(jobs.Count)].Gpus[0] : rng.NextInt(_state.Gpus.Count);
        return _state.Topology.Gpus[gpu].Id.Value;
    }

    /// <summary>A straggler matters in a gang, where one slow GPU holds back the rest: pick one GPU of a multi-node job when there is one.</summary>
    private string GangGpuOrAny(ref SimRandom rng)
    {
        var jobs = _workload.RunningJobs;
        for (int attempt = 0; attempt < 16 && jobs.Count > 0; attempt++)
        {
            var job = jobs[rng.NextInt(jobs.Count)];
            if (job.NodeCount > 1)
            {
                return _state.Topology.Gpus[job.Gpus[rng.NextInt(job.Gpus.Length)]].Id.Value;
            }
        }

        return _state.Topology.Gpus[rng.NextInt(_state.Gpus.Count)].Id.Value;
    }

    public static FaultCause DefaultCause(FaultKind kind, int? xid) => kind switch
    {
        FaultKind.Xid => xid switch
        {
            48 or 63 or 64 or 92 => FaultCause.GpuHbm3Memory,
            94 or 95 => FaultCause.GpuSram,
            119 or 120 => FaultCause.GpuSystemProcessor,
            13 or 31 or 43 or 45 => FaultCause.SoftwareBug,
            _ => FaultCause.FaultyGpu,
        },
        FaultKind.EccDbeStorm => FaultCause.GpuHbm3Memory,
        FaultKind.SwitchDown => FaultCause.LeafSwitchFailure,
        FaultKind.LinkDown => FaultCause.NetworkSwitchOrCable,
        FaultKind.PortErrors => FaultCause.Nic,
        FaultKind.PduDown => FaultCause.PduFailure,
        FaultKind.HeartbeatLoss => FaultCause.HostMaintenance,
        FaultKind.Thermal => FaultCause.GpuThermal,
        FaultKind.Straggler => FaultCause.Straggler,
        FaultKind.SilentDataCorruption => FaultCause.SilentDataCorruption,
        _ => FaultCause.NcclWatchdog,
    };

    /// <summary>Checks that a request names a target of the right kind; returns the problem, or null when it is valid.</summary>
    public string? Validate(FaultRequest request)
    {
        string t = request.Target;
        return request.Kind switch
        {
            FaultKind.Xid when request.Xid is not { } x || !XidCatalog.TryGet(x, out _) =>
                $"XID {request.Xid?.ToString(CultureInfo.InvariantCulture) ?? "(missing)"} is not in NVIDIA's XID catalogue.",
            FaultKind.Xid or FaultKind.EccDbeStorm or FaultKind.Thermal or FaultKind.Straggler or FaultKind.SilentDataCorruption or FaultKind.NcclTimeout
                when !_state.TryResolveGpu(t, out _) => $"'{t}' is not a GPU of this fleet (expected node/gpuN).",
            FaultKind.SwitchDown when !_state.Topology.TryGetSwitch(new SwitchId(t), out var sw) || sw.Tier != SwitchTier.Leaf =>
                $"'{t}' is not a leaf switch of this fleet.",
            FaultKind.LinkDown or FaultKind.PortErrors when !_state.TryResolvePort(t, out _, out _) =>
                $"'{t}' is not a node port of this fleet (expected node/mlx5_N).",
            FaultKind.PduDown when !_state.Pdus.Contains(new PduId(t)) => $"'{t}' is not a PDU of this fleet.",
            FaultKind.HeartbeatLoss when !_state.Topology.TryGetNodeIndex(new NodeId(t), out _) => $"'{t}' is not a node of this fleet.",
            _ => null,
        };
    }

    public InjectedFault Inject(FaultRequest request, DateTimeOffset at, bool scripted, ref SimRandom rng)
    {
        if (Validate(request) is { } problem)
        {
            throw new ArgumentException(problem, nameof(request));
        }

        var g = _state.Gpus;
        var cause = request.Cause ?? DefaultCause(request.Kind, request.Xid);
        string id = $"flt-{_nextId++:000000}";
        int[] gpus = [];
        int[] nodes = [];
        int[] ports = [];
        var signals = new List<string>();
        FaultScope scope = FaultScope.Gpu;
        bool fatal = true;
        int? xid = null;
        DiagnosticLevel? detect = null;
        var remedy = Remedy.Replace;
        GpuFlags flags = GpuFlags.None;
        float thermal = 0;
        bool nodeDown = false;
        bool portDown = false;
        bool portErrors = false;
        int stormTicks = 0;
        bool interruptJobs = true;

        switch (request.Kind)
        {
            case FaultKind.Xid:
            {
                int code = request.Xid!.Value;
                var info = XidCatalog.Get(code);
                _state.TryResolveGpu(request.Target, out int gpu);
                gpus = cause == FaultCause.SoftwareBug && _workload.JobOf(gpu) is { } job ? job.Gpus : [gpu];
                xid = code;
                fatal = info.Fatal;
                foreach (int i in gpus)
                {
                    RaiseXid(i, code);
                }

                switch (code)
                {
                    case 48:
                        foreach (int i in gpus)
                        {
                            g.DbeVol[i]++;
                            g.DbeAgg[i]++;
                            g.RemapPending[i] = 1;
                        }

                        signals.Add("DCGM_FI_DEV_ECC_DBE_VOL_TOTAL increase");
                        break;
                    case 74:
                        foreach (int i in gpus)
                        {
                            g.NvlCrcFlit[i] += 40 + rng.NextInt(400);
                            g.NvlCrcData[i] += 5 + rng.NextInt(50);
                            g.NvlReplay[i] += 10 + rng.NextInt(100);
                        }

                        signals.Add("DCGM_FI_DEV_NVLINK_CRC_FLIT_ERROR_COUNT_TOTAL increase");
                        break;
                    case 79:
                        foreach (int i in gpus)
                        {
                            g.PcieReplay[i] += 1 + rng.NextInt(20);
                        }

                        break;
                    case 94 or 95:
                        foreach (int i in gpus)
                        {
                            g.SbeVol[i] += 1 + rng.NextInt(4);
                            g.SbeAgg[i] += 1 + rng.NextInt(4);
                        }

                        break;
                }

                signals.Insert(0, $"DCGM_FI_DEV_XID_ERRORS={code}");
                remedy = info.ImmediateAction switch
                {
                    "RESTART_APP" or "IGNORE" or "WORKFLOW_XID_45" => Remedy.Transient,
                    "RESET_GPU" or "WORKFLOW_XID_48" => Remedy.GpuReset,
                    "RESTART_BM" or "WORKFLOW_NVLINK_ERR" => Remedy.Reboot,
                    _ => Remedy.Replace,
                };
                if (cause == FaultCause.SoftwareBug)
                {
                    remedy = Remedy.Transient;
                    fatal = false;
                }

                flags = fatal ? GpuFlags.Faulted : GpuFlags.None;
                detect = cause == FaultCause.SoftwareBug || remedy == Remedy.Transient ? null
                    : code is 48 or 63 or 64 or 74 or 92 or 94 or 95 ? DiagnosticLevel.R2 : DiagnosticLevel.R1;
                break;
            }

            case FaultKind.EccDbeStorm:
            {
                _state.TryResolveGpu(request.Target, out int gpu);
                gpus = [gpu];
                long dbe = 2 + rng.NextInt(6);
                g.DbeVol[gpu] += dbe;
                g.DbeAgg[gpu] += dbe;
                long sbe = 20 + rng.NextInt(200);
                g.SbeVol[gpu] += sbe;
                g.SbeAgg[gpu] += sbe;
                g.UncorrectableRemapped[gpu] += 1 + rng.NextInt(4);
                g.CorrectableRemapped[gpu] += rng.NextInt(3);
                g.RemapPending[gpu] = 1;
                bool remapFails = rng.NextDouble() < 0.3;
                RaiseXid(gpu, 48);
                if (remapFails)
                {
                    g.RemapFailure[gpu] = 1;
                    RaiseXid(gpu, 64);
                }
                else
                {
                    RaiseXid(gpu, 63);
                }

                xid = 48;
                signals.AddRange(["DCGM_FI_DEV_XID_ERRORS=48", "DCGM_FI_DEV_ECC_DBE_VOL_TOTAL increase", "DCGM_FI_DEV_UNCORRECTABLE_REMAPPED_ROWS increase",
                    remapFails ? "DCGM_FI_DEV_ROW_REMAP_FAILURE=1" : "DCGM_FI_DEV_ROW_REMAP_PENDING=1"]);
                flags = GpuFlags.Faulted;
                remedy = remapFails ? Remedy.Replace : Remedy.GpuReset;
                detect = DiagnosticLevel.R2;
                stormTicks = 10;
                break;
            }

            case FaultKind.SwitchDown:
            {
                scope = FaultScope.Switch;
                _state.Topology.TryGetSwitch(new SwitchId(request.Target), out var sw);
                nodes = _state.Topology.NodesInLeafGroup(sw.LeafGroup!).ToArray();
                var list = new List<int>(nodes.Length);
                foreach (int n in nodes)
                {
                    if (sw.Rail < _state.Ports.RailsOf(n))
                    {
                        list.Add(_state.Ports.Offsets[n] + sw.Rail);
                    }
                }

                ports = [.. list];
                foreach (int p in ports)
                {
                    _state.Ports.Add(p, FabricPorts.LinkDowned, 1);
                    _state.Ports.Add(p, FabricPorts.LinkErrorRecovery, 1);
                }

                signals.Add($"link_downed increase on rail {sw.Rail} of {nodes.Length} nodes");
                portDown = true;
                remedy = Remedy.FacilityRepair;
                break;
            }

            case FaultKind.LinkDown or FaultKind.PortErrors:
            {
                scope = FaultScope.Port;
                _state.TryResolvePort(request.Target, out int port, out int node);
                nodes = [node];
                ports = [port];
                if (request.Kind == FaultKind.LinkDown)
                {
                    _state.Ports.Add(port, FabricPorts.LinkDowned, 1);
                    _state.Ports.Add(port, FabricPorts.SymbolError, 50 + rng.NextInt(500));
                    _state.Ports.Add(port, FabricPorts.LinkErrorRecovery, 1 + rng.NextInt(3));
                    portDown = true;
                    signals.Add("link_downed increase");
                }
                else
                {
                    _state.Ports.Add(port, FabricPorts.LocalLinkIntegrity, 1);
                    portErrors = true;
                    signals.AddRange(["local_link_integrity_errors increase", "symbol_error > 120/hour", "port_rcv_errors increase"]);
                }

                remedy = Remedy.FacilityRepair;
                break;
            }

            case FaultKind.PduDown or FaultKind.HeartbeatLoss:
            {
                scope = request.Kind == FaultKind.PduDown ? FaultScope.Pdu : FaultScope.Node;
                nodes = request.Kind == FaultKind.PduDown
                    ? _state.Topology.NodesOnPdu(new PduId(request.Target)).ToArray()
                    : [_state.NodeIndex(new NodeId(request.Target))];
                nodeDown = true;
                signals.Add("node heartbeat stops");
                remedy = request.Kind == FaultKind.PduDown ? Remedy.FacilityRepair : Remedy.Reboot;
                break;
            }

            case FaultKind.Thermal:
            {
                _state.TryResolveGpu(request.Target, out int gpu);
                gpus = [gpu];
                flags = GpuFlags.Thermal;
                thermal = 60f;
                fatal = false;
                interruptJobs = false;
                signals.AddRange(["DCGM_FI_DEV_GPU_TEMP rising", "DCGM_FI_DEV_CLOCKS_EVENT_REASONS has 0x40"]);
                detect = DiagnosticLevel.R3;
                break;
            }

            case FaultKind.Straggler:
            {
                _state.TryResolveGpu(request.Target, out int gpu);
                gpus = [gpu];
                flags = GpuFlags.Straggler;
                fatal = false;
                interruptJobs = false;
                signals.AddRange(["DCGM_FI_DEV_SM_CLOCK below gang peers", "DCGM_FI_DEV_CLOCKS_EVENT_REASONS has 0x8"]);
                detect = DiagnosticLevel.R3;
                remedy = Remedy.Reboot;
                break;
            }

            case FaultKind.SilentDataCorruption:
            {
                _state.TryResolveGpu(request.Target, out int gpu);
                gpus = [gpu];
                interruptJobs = false;
                detect = DiagnosticLevel.R4;
                break;
            }

            case FaultKind.NcclTimeout:
            {
                _state.TryResolveGpu(request.Target, out int gpu);
                var job = _workload.JobOf(gpu);
                gpus = job?.Gpus ?? [gpu];
                fatal = false;
                remedy = Remedy.Transient;
                var signal = new JobSignal(at, JobSignal.CollectiveTimeout, job?.Id ?? -1, [.. gpus.Select(i => _state.Topology.Gpus[i].Id)],
                    "Watchdog caught collective operation timeout: WorkNCCL(OpType=ALLREDUCE) ran for 600000 milliseconds before timing out.");
                _jobSignals.Add(signal);
                JobSignalReported?.Invoke(signal);
                signals.Add("job reports NCCL collective timeout");
                break;
            }
        }

        if (nodes.Length == 0 && gpus.Length > 0)
        {
            nodes = [.. gpus.Select(i => g.NodeOf[i]).Distinct()];
        }

        var record = new InjectedFault(
            id, request.Kind, cause, scope, request.Target, at, null, fatal, xid,
            [.. gpus.Select(i => _state.Topology.Gpus[i].Id)],
            [.. nodes.Select(n => _state.Topology.Nodes[n].Id)],
            signals, detect, scripted);
        _truthIndex[id] = _groundTruth.Count;
        _groundTruth.Add(record);
        var active = new ActiveFault(record, gpus, nodes, ports)
        {
            GpuFlags = flags,
            ThermalExtraC = thermal,
            NodeDown = nodeDown,
            PortDown = portDown,
            Remedy = remedy,
            StormTicksLeft = stormTicks,
            PortErrorsEachTick = portErrors,
        };
        _active.Add(active);
        Apply(active);

        if (interruptJobs)
        {
            InterruptWorkOn(active);
        }

        Injected?.Invoke(record);
        if (remedy == Remedy.Transient)
        {
            Clear(active, at, repaired: false);
        }

        return active.Record;
    }

    private void RaiseXid(int gpu, int code)
    {
        _state.Gpus.LastXid[gpu] = code;
        _state.Gpus.XidCount[gpu]++;
    }

    private void Apply(ActiveFault fault)
    {
        foreach (int i in fault.Gpus)
        {
            _state.Gpus.Flags[i] |= fault.GpuFlags;
            _state.Gpus.ThermalExtraC[i] = Math.Max(_state.Gpus.ThermalExtraC[i], fault.ThermalExtraC);
        }

        if (fault.PortDown)
        {
            foreach (int p in fault.Ports)
            {
                _state.Ports.State[p] = PortState.Down;
            }
        }

        foreach (int n in fault.Nodes)
        {
            _state.NodeDown[n] |= fault.NodeDown;
            _state.RefreshNode(n);
        }
    }

    /// <summary>The work the fault breaks ends: jobs on its GPUs, jobs on its dead nodes, and gangs that lose a fabric port.</summary>
    private void InterruptWorkOn(ActiveFault fault)
    {
        List<int>? direct = null, fabricOnly = null;
        foreach (int i in fault.Gpus)
        {
            if (_workload.JobOf(i) is { } job)
            {
                _workload.Interrupt(job, fault.Record.Id);
            }
            else if (_state.Owner[i] == TwinState.External)
            {
                (direct ??= []).Add(i);
            }
        }

        if (fault.NodeDown || fault.PortDown)
        {
            var offsets = _state.Topology.GpuOffsets;
            foreach (int n in fault.Nodes)
            {
                for (int i = offsets[n]; i < offsets[n + 1]; i++)
                {
                    if (_workload.JobOf(i) is { } job && (fault.NodeDown || job.NodeCount > 1))
                    {
                        _workload.Interrupt(job, fault.Record.Id);
                    }
                    else if (_state.Owner[i] == TwinState.External && !(direct?.Contains(i) ?? false))
                    {
                        (fault.NodeDown ? direct ??= [] : fabricOnly ??= []).Add(i);
                    }
                }
            }
        }

        if (direct is not null || fabricOnly is not null)
        {
            ExternalWorkHit?.Invoke(fault.Record, (IReadOnlyList<int>?)direct ?? [], (IReadOnlyList<int>?)fabricOnly ?? []);
        }
    }

    /// <summary>The effects that go on after onset: an ECC storm keeps raising counters, a bad NIC keeps corrupting.</summary>
    public void Tick(ref SimRandom rng)
    {
        var g = _state.Gpus;
        foreach (var f in _active)
        {
            if (f.StormTicksLeft > 0)
            {
                f.StormTicksLeft--;
                foreach (int i in f.Gpus)
                {
                    long sbe = 1 + rng.NextInt(20);
                    g.SbeVol[i] += sbe;
                    g.SbeAgg[i] += sbe;
                    if (rng.NextDouble() < 0.3)
                    {
                        g.DbeVol[i]++;
                        g.DbeAgg[i]++;
                    }
                }
            }

            if (f.Record.Kind == FaultKind.SilentDataCorruption)
            {
                ReportWrongNumbers(f);
            }

            if (f.PortErrorsEachTick)
            {
                foreach (int p in f.Ports)
                {
                    _state.Ports.Add(p, FabricPorts.SymbolError, 2 + rng.NextInt(10));
                    _state.Ports.Add(p, FabricPorts.PortRcvErrors, rng.NextInt(30));
                    if (rng.NextDouble() < 0.05)
                    {
                        _state.Ports.Add(p, FabricPorts.LinkErrorRecovery, 1);
                    }
                }
            }
        }
    }

    /// <summary>
    /// Silent data corruption shows nothing on the GPU, but a training job running on it computes wrong numbers: after
    /// <see cref="SimulationOptions.NumericAnomalyReportDelay"/> of running there it reports a numeric anomaly (a replica
    /// checksum mismatch) naming the GPU. Idle, it stays invisible until work lands on it.
    /// </summary>
    private void ReportWrongNumbers(ActiveFault fault)
    {
        int gpu = fault.Gpus[0];
        if (_workload.JobOf(gpu) is not { } job || job.Id == fault.AnomalyReportedForJob)
        {
            return;
        }

        var now = _state.Now;
        var tick = _state.Options.Tick;
        var jobStart = now - (tick * (_state.TickIndex - job.StartTick));
        var since = jobStart > fault.Record.OnsetAt ? jobStart : fault.Record.OnsetAt;
        if (now - since < _state.Options.NumericAnomalyReportDelay)
        {
            return;
        }

        fault.AnomalyReportedForJob = job.Id;
        var suspect = _state.Topology.Gpus[gpu].Id;
        var signal = new JobSignal(now, JobSignal.NumericAnomaly, job.Id, [.. job.Gpus.Select(i => _state.Topology.Gpus[i].Id)],
            $"Replica checksum mismatch: the gradients computed on {suspect} differ from its data-parallel peers.")
        {
            Suspect = suspect,
        };
        _jobSignals.Add(signal);
        JobSignalReported?.Invoke(signal);
    }

    /// <summary>The id of an active fault that breaks the GPU now (its own fault, or its node being down); null when none.</summary>
    public string? BreakingGpu(int gpu)
    {
        int node = _state.Gpus.NodeOf[gpu];
        foreach (var f in _active)
        {
            if ((f.Record.Fatal && Array.IndexOf(f.Gpus, gpu) >= 0) || (f.NodeDown && Array.IndexOf(f.Nodes, node) >= 0))
            {
                return f.Record.Id;
            }
        }

        return null;
    }

    public bool TryFind(string faultId, out ActiveFault fault)
    {
        fault = _active.Find(f => f.Record.Id == faultId)!;
        return fault is not null;
    }

    /// <summary>Clears every active fault on these GPUs and nodes that <paramref name="action"/> is strong enough to fix.</summary>
    public void ClearFixedBy(Remedy action, ReadOnlySpan<int> gpus, ReadOnlySpan<int> nodes, DateTimeOffset at)
    {
        for (int k = _active.Count - 1; k >= 0; k--)
        {
            var f = _active[k];
            if (f.Remedy > action || f.Remedy == Remedy.FacilityRepair)
            {
                continue;
            }

            bool hit = false;
            foreach (int i in f.Gpus)
            {
                hit |= gpus.Contains(i);
            }

            foreach (int n in f.Nodes)
            {
                hit |= f.Gpus.Length == 0 && nodes.Contains(n);
            }

            if (hit)
            {
                Clear(f, at, repaired: true);
            }
        }
    }

    /// <summary>Ends a fault: ground truth gets its ClearedAt, and the signals it held are recomputed from the faults that remain.</summary>
    public void Clear(ActiveFault fault, DateTimeOffset at, bool repaired)
    {
        if (!_active.Remove(fault))
        {
            return;
        }

        fault.Record = fault.Record with { ClearedAt = at };
        _groundTruth[_truthIndex[fault.Record.Id]] = fault.Record;
        var g = _state.Gpus;
        foreach (int i in fault.Gpus)
        {
            g.Flags[i] &= ~GpuFlags.FaultBits;
            g.ThermalExtraC[i] = 0;
            if (repaired && fault.Record.Kind is FaultKind.EccDbeStorm or FaultKind.Xid)
            {
                g.RemapPending[i] = 0;
                if (fault.Remedy == Remedy.Replace)
                {
                    g.RemapFailure[i] = 0;
                }
            }
        }

        foreach (int p in fault.Ports)
        {
            _state.Ports.State[p] = PortState.Active;
        }

        foreach (int n in fault.Nodes)
        {
            _state.NodeDown[n] = false;
        }

        // Whatever other faults still hold on the same components is put back.
        foreach (var other in _active)
        {
            if (Overlaps(other, fault))
            {
                Apply(other);
            }
        }

        foreach (int n in fault.Nodes)
        {
            _state.RefreshNode(n);
        }

        Cleared?.Invoke(fault.Record);
    }

    private static bool Overlaps(ActiveFault a, ActiveFault b) =>
        a.Gpus.AsSpan().ContainsAny(b.Gpus) || a.Nodes.AsSpan().ContainsAny(b.Nodes) || a.Ports.AsSpan().ContainsAny(b.Ports);

    /// <summary>Active faults whose GPUs are on a node, or that hold the node itself.</summary>
    public IEnumerable<ActiveFault> OnNode(int node) => _active.Where(f => f.Nodes.Contains(node));
}
