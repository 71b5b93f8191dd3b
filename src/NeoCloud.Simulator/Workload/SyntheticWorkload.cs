using NeoCloud.Simulator.Randomness;
using NeoCloud.Simulator.Twin;

namespace NeoCloud.Simulator.Workload;

/// <summary>
/// A seeded stream of jobs that keeps the fleet at its target allocation: sizes from single GPUs to multi-node gangs,
/// runtimes log-normal with a median of ~15 minutes and a mean of ~2 hours (Philly median 874 s, mean 18,006 s;
/// Helios mean 6,652 s in FACTS), so most jobs are short and a few run for a day or more.
/// </summary>
internal sealed class SyntheticWorkload
{
    // Job sizes in GPUs and their shares; mean ≈ 5.4 GPUs (Helios: 3.72 per job, larger in training fleets).
    private static readonly int[] Sizes = [1, 2, 4, 8, 16, 32, 64, 128];
    private static readonly double[] SizeWeights = [45, 15, 15, 17, 4, 2.5, 1, 0.5];
    private static readonly double SizeWeightTotal = SizeWeights.Sum();

    private const double MedianRuntimeSeconds = 15 * 60;

    // Log-normal: mean / median = exp(sigma² / 2) = 8 gives a mean of 2 hours.
    private static readonly double Sigma = Math.Sqrt(2 * Math.Log(8));
    private static readonly double MaxRuntimeSeconds = TimeSpan.FromDays(14).TotalSeconds;
    private const int ScanWindow = 2048;
    private const int MaxFailuresPerTick = 8;

    private readonly TwinState _state;
    private readonly PriorityQueue<SyntheticJob, long> _ends = new();
    private readonly Dictionary<int, SyntheticJob> _byId = [];
    private readonly List<SyntheticJob> _running = [];
    private readonly List<int> _pick = [];
    private readonly Queue<RestartRequest> _restarts = new();
    private readonly Dictionary<string, FaultWork> _faultWork = new(StringComparer.Ordinal);
    private int _cursor;
    private int _nextId;

    public SyntheticWorkload(TwinState state)
    {
        _state = state;
    }

    public int Running => _running.Count;
    public long Started { get; private set; }
    public long Interrupted { get; private set; }

    /// <summary>Attempts that ran to their end (the work's own success; the twin's jobs have no user errors).</summary>
    public long Completed { get; private set; }

    public IReadOnlyList<SyntheticJob> RunningJobs => _running;

    /// <summary>Attempts restarted after an interruption (with <see cref="SimulationOptions.RestartInterruptedWork"/>).</summary>
    public long Restarted { get; private set; }

    /// <summary>Attempts that failed as they started because a GPU under them was broken.</summary>
    public long FailedAtStart { get; private set; }

    /// <summary>Interrupted jobs waiting to restart.</summary>
    public int PendingRestarts => _restarts.Count;

    /// <summary>Work lost to interruptions: GPU-seconds done since each interrupted attempt's last checkpoint.</summary>
    public double GpuSecondsLost { get; private set; }

    /// <summary>Per fault id: the jobs it interrupted and when the last of them ran again.</summary>
    public IReadOnlyDictionary<string, FaultWork> WorkHitByFault => _faultWork;

    /// <summary>Resolves the fault that breaks a GPU now (for work that fails at start on it); set by the twin.</summary>
    public Func<int, string?>? FaultOnGpu { get; set; }

    /// <summary>A running job by id; null when it has ended.</summary>
    public SyntheticJob? Job(int id) => _byId.GetValueOrDefault(id);

    public SyntheticJob? JobOf(int gpu) => _state.Owner[gpu] >= 0 && _byId.TryGetValue(_state.Owner[gpu], out var job) ? job : null;

    public void Tick(ref SimRandom rng, bool enabled)
    {
        long tick = _state.TickIndex;
        while (_ends.TryPeek(out var job, out long end) && end <= tick)
        {
            _ends.Dequeue();
            if (!job.Done)
            {
                Completed++;
                End(job);
            }
        }

        if (!enabled)
        {
            return;
        }

        // Interrupted work goes first, as a job controller requeues it ahead of new submissions.
        for (int pending = _restarts.Count; pending > 0; pending--)
        {
            var restart = _restarts.Dequeue();
            if (TryPlace(restart.Size))
            {
                if (Start(restart.RemainingTicks, restart.Intensity, restart.Footprint, restart.SavedTicks, restart.For))
                {
                    Restarted++;
                }
            }
            else
            {
                _restarts.Enqueue(restart);
            }
        }

        int target = (int)(_state.Options.TargetAllocation * _state.Gpus.Count);
        double tickSeconds = _state.Options.Tick.TotalSeconds;
        int failures = 0;
        while (_state.AllocatedGpus < target && failures < MaxFailuresPerTick)
        {
            int size = Sizes[rng.NextWeighted(SizeWeights, SizeWeightTotal)];
            double runtime = Math.Min(MedianRuntimeSeconds * Math.Exp(Sigma * rng.NextGaussian()), MaxRuntimeSeconds);

            // The fleet does not start empty: jobs placed on the first tick are already part-way through.
            if (tick == 0)
            {
                runtime *= rng.NextDouble();
            }

            long ticks = Math.Max(1, (long)Math.Ceiling(runtime / tickSeconds));
            float intensity = 0.55f + (0.45f * rng.NextFloat());
            float footprint = 0.3f + (0.65f * rng.NextFloat());
            // Work that fails as it starts (placed on a broken GPU nobody fenced) is requeued; it counts as a failure
            // here, or a fleet whose only free GPUs are broken would spin forever.
            if (TryPlace(size) && Start(ticks, intensity, footprint, 0, []))
            {
                failures = 0;
            }
            else
            {
                failures++;
            }
        }
    }

    /// <summary>
    /// Ends a job early because the hardware under it failed (<paramref name="faultId"/>) or remediation evicted it.
    /// With <see cref="SimulationOptions.RestartInterruptedWork"/> it is requeued to restart from its last checkpoint.
    /// </summary>
    /// <returns>The GPU-hours of work it lost (done since its last checkpoint).</returns>
    public double Interrupt(SyntheticJob job, string? faultId = null)
    {
        if (job.Done)
        {
            return 0;
        }

        Interrupted++;
        double lostGpuSeconds = 0;
        if (_state.Options.RestartInterruptedWork)
        {
            double tickSeconds = _state.Options.Tick.TotalSeconds;
            long every = Math.Max(1, (long)Math.Round(_state.Options.CheckpointInterval.TotalSeconds / tickSeconds));
            long ran = _state.TickIndex - job.StartTick;
            long saved = Math.Max(job.LastCheckpointTick - job.StartTick, ran / every * every);
            long total = job.EndTick - job.StartTick;
            lostGpuSeconds = (ran - saved) * tickSeconds * job.Gpus.Length;
            GpuSecondsLost += lostGpuSeconds;
            string[] restartFor = job.RestartFor is string[] list ? list : [.. job.RestartFor];
            if (faultId is not null && Array.IndexOf(restartFor, faultId) < 0)
            {
                restartFor = [.. restartFor, faultId];
                if (!_faultWork.TryGetValue(faultId, out var work))
                {
                    _faultWork[faultId] = work = new FaultWork();
                }

                work.Hit++;
                work.Pending++;
                work.AllRunningAt = null;
            }

            _restarts.Enqueue(new RestartRequest(
                job.Gpus.Length, Math.Max(1, total - saved), job.SavedTicks + saved, job.Intensity, job.Footprint, restartFor));
        }

        End(job);
        return lostGpuSeconds / 3600.0;
    }

    /// <summary>The job saves its progress now (the control plane asked it to, before a drain).</summary>
    public static void Checkpoint(SyntheticJob job, long tick)
    {
        if (!job.Done)
        {
            job.LastCheckpointTick = tick;
        }
    }

    private bool TryPlace(int size)
    {
        _pick.Clear();
        int nodes = _state.Topology.Nodes.Count;
        var offsets = _state.Topology.GpuOffsets;
        int firstSku = -1;
        int needNodes = 0;
        for (int k = 0; k < Math.Min(ScanWindow, nodes); k++)
        {
            int n = (_cursor + k) % nodes;
            int perNode = _state.GpuCountOf(n);
            int free = _state.FreeOnNode[n];
            if (size <= perNode)
            {
                if (free < size)
                {
                    continue;
                }

                for (int g = offsets[n]; g < offsets[n + 1] && _pick.Count < size; g++)
                {
                    if (_state.Owner[g] == TwinState.Free && _state.CanPlace(g))
                    {
                        _pick.Add(g);
                    }
                }

                _cursor = (n + 1) % nodes;
                return true;
            }

            // A gang takes whole nodes of one SKU.
            if (free != perNode || (firstSku >= 0 && _state.Gpus.SkuOf[offsets[n]] != firstSku))
            {
                continue;
            }

            if (firstSku < 0)
            {
                firstSku = _state.Gpus.SkuOf[offsets[n]];
                needNodes = (size + perNode - 1) / perNode;
            }

            for (int g = offsets[n]; g < offsets[n + 1]; g++)
            {
                _pick.Add(g);
            }

            if (--needNodes == 0)
            {
                _cursor = (n + 1) % nodes;
                return true;
            }
        }

        _pick.Clear();
        _cursor = (_cursor + ScanWindow) % nodes;
        return false;
    }

    /// <returns>False when the job failed as it started (a GPU under it is broken).</returns>
    private bool Start(long ticks, float intensity, float footprint, long savedTicks, string[] restartFor)
    {
        var gpus = _pick.ToArray();
        int nodeCount = 1;
        for (int i = 1; i < gpus.Length; i++)
        {
            if (_state.Gpus.NodeOf[gpus[i]] != _state.Gpus.NodeOf[gpus[i - 1]])
            {
                nodeCount++;
            }
        }

        var job = new SyntheticJob(_nextId++, gpus, nodeCount, _state.TickIndex + ticks)
        {
            RunningIndex = _running.Count,
            StartTick = _state.TickIndex,
            LastCheckpointTick = _state.TickIndex,
            SavedTicks = savedTicks,
            Intensity = intensity,
            Footprint = footprint,
            RestartFor = restartFor,
        };
        _running.Add(job);
        _byId.Add(job.Id, job);
        _ends.Enqueue(job, job.EndTick);
        Started++;
        int lastNode = -1;
        foreach (int g in gpus)
        {
            _state.Owner[g] = job.Id;
            _state.Gpus.Intensity[g] = intensity;
            _state.Gpus.FootprintMiB[g] = footprint * _state.Gpus.MemoryMiB[g];
            int node = _state.Gpus.NodeOf[g];
            if (node != lastNode)
            {
                _state.FreeOnNode[node] -= CountOn(gpus, node);
                lastNode = node;
            }
        }

        _state.AllocatedGpus += gpus.Length;

        // Placement that does not see faults can put work on a broken GPU: the attempt fails as it starts.
        foreach (int g in gpus)
        {
            if (!_state.CanRun(g))
            {
                FailedAtStart++;
                Interrupt(job, FaultOnGpu?.Invoke(g));
                return false;
            }
        }

        if (restartFor.Length > 0)
        {
            var now = _state.Now;
            foreach (string id in restartFor)
            {
                if (_faultWork.TryGetValue(id, out var work) && --work.Pending == 0)
                {
                    work.AllRunningAt = now;
                }
            }
        }

        return true;
    }

    private int CountOn(int[] gpus, int node)
    {
        int c = 0;
        foreach (int g in gpus)
        {
            if (_state.Gpus.NodeOf[g] == node)
            {
                c++;
            }
        }

        return c;
    }

    private void End(SyntheticJob job)
    {
        job.Done = true;
        var last = _running[^1];
        _running[job.RunningIndex] = last;
        last.RunningIndex = job.RunningIndex;
        _running.RemoveAt(_running.Count - 1);
        _byId.Remove(job.Id);
        int lastNode = -1;
        foreach (int g in job.Gpus)
        {
            _state.Owner[g] = TwinState.Free;
            _state.Gpus.Intensity[g] = 0;
            _state.Gpus.FootprintMiB[g] = 0;
        }

        foreach (int g in job.Gpus)
        {
            int node = _state.Gpus.NodeOf[g];
            if (node != lastNode)
            {
                _state.RefreshNode(node);
                lastNode = node;
            }
        }

        _state.AllocatedGpus -= job.Gpus.Length;
    }
}
