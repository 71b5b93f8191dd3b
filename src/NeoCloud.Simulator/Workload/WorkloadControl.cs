using NeoCloud.Kernel.Ids;
using NeoCloud.Simulator.Twin;

namespace NeoCloud.Simulator.Workload;

/// <summary>Lets an executor put work on the twin's GPUs itself (with the synthetic load off, or beside it on free GPUs).</summary>
public sealed class WorkloadControl
{
    private readonly TwinState _state;
    private readonly SyntheticWorkload _synthetic;

    internal WorkloadControl(TwinState state, SyntheticWorkload synthetic)
    {
        _state = state;
        _synthetic = synthetic;
    }

    /// <summary>GPUs held by any work, synthetic or assigned.</summary>
    public int AllocatedGpus => _state.AllocatedGpus;

    /// <summary>Synthetic jobs running now.</summary>
    public int RunningSyntheticJobs => _synthetic.Running;

    public long SyntheticJobsStarted => _synthetic.Started;

    /// <summary>Synthetic jobs ended early because hardware under them failed or was quarantined.</summary>
    public long SyntheticJobsInterrupted => _synthetic.Interrupted;

    public int GpuIndex(GpuId gpu) => _state.GpuIndex(gpu);

    /// <summary>Runs work on a GPU at an intensity in (0, 1]; a faulted or quarantined GPU holds the assignment but carries no load.</summary>
    /// <param name="memoryFraction">Share of the framebuffer the work uses.</param>
    public void Assign(int gpuIndex, float intensity, float memoryFraction = 0.85f)
    {
        lock (_state.Gate)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(gpuIndex);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(gpuIndex, _state.Gpus.Count);
            if (intensity is <= 0f or > 1f || float.IsNaN(intensity))
            {
                throw new ArgumentOutOfRangeException(nameof(intensity), intensity, "Intensity is a share in (0, 1].");
            }

            if (_state.Owner[gpuIndex] >= 0)
            {
                throw new InvalidOperationException($"GPU {gpuIndex} is held by synthetic job {_state.Owner[gpuIndex]}; turn the synthetic load off to drive GPUs yourself.");
            }

            if (_state.Owner[gpuIndex] == TwinState.Free)
            {
                _state.AllocatedGpus++;
            }

            _state.Owner[gpuIndex] = TwinState.External;
            _state.Gpus.Intensity[gpuIndex] = intensity;
            _state.Gpus.FootprintMiB[gpuIndex] = Math.Clamp(memoryFraction, 0f, 1f) * _state.Gpus.MemoryMiB[gpuIndex];
            _state.RefreshNode(_state.Gpus.NodeOf[gpuIndex]);
        }
    }

    public void Assign(GpuId gpu, float intensity, float memoryFraction = 0.85f) => Assign(_state.GpuIndex(gpu), intensity, memoryFraction);

    /// <summary>
    /// Tags an executor's GPU with the work it carries (one key per gang, not 0): scrapes report it as the GPU's work, so
    /// health can compare gang peers. Untagged executor GPUs all report -1.
    /// </summary>
    public void Tag(int gpuIndex, long work)
    {
        lock (_state.Gate)
        {
            if (_state.Owner[gpuIndex] != TwinState.External)
            {
                throw new InvalidOperationException($"GPU {gpuIndex} carries no executor work to tag.");
            }

            _state.ExternalWork[gpuIndex] = work;
        }
    }

    /// <summary>Ends work an executor assigned; the GPU cools down over the next ticks.</summary>
    public void Release(int gpuIndex)
    {
        lock (_state.Gate)
        {
            if (_state.Owner[gpuIndex] != TwinState.External)
            {
                return;
            }

            _state.Owner[gpuIndex] = TwinState.Free;
            _state.ExternalWork[gpuIndex] = 0;
            _state.Gpus.Intensity[gpuIndex] = 0;
            _state.Gpus.FootprintMiB[gpuIndex] = 0;
            _state.AllocatedGpus--;
            _state.RefreshNode(_state.Gpus.NodeOf[gpuIndex]);
        }
    }

    public void Release(GpuId gpu) => Release(_state.GpuIndex(gpu));

    public bool IsAllocated(int gpuIndex) => _state.Owner[gpuIndex] != TwinState.Free;

    /// <summary>True while the GPU runs slow (a fail-slow straggler): work on it, and on its whole gang, advances slower.</summary>
    public bool IsSlow(int gpuIndex) => (_state.Gpus.Flags[gpuIndex] & GpuFlags.Straggler) != 0;

    /// <summary>True while the GPU cannot carry work: faulted, in remediation or quarantined, or its node is down.</summary>
    public bool IsUnavailable(int gpuIndex) =>
        (_state.Gpus.Flags[gpuIndex] & GpuFlags.Unavailable) != 0 || !_state.NodeAlive[_state.Gpus.NodeOf[gpuIndex]];

    /// <summary>Takes a GPU out of service as the control plane's quarantine does: its synthetic job ends and it carries no load.</summary>
    public void Quarantine(GpuId gpu)
    {
        lock (_state.Gate)
        {
            int g = _state.GpuIndex(gpu);
            _state.Gpus.Flags[g] |= GpuFlags.Quarantined;
            if (_synthetic.JobOf(g) is { } job)
            {
                _synthetic.Interrupt(job);
            }

            _state.RefreshNode(_state.Gpus.NodeOf[g]);
        }
    }

    public void ReturnToService(GpuId gpu)
    {
        lock (_state.Gate)
        {
            int g = _state.GpuIndex(gpu);
            _state.Gpus.Flags[g] &= ~GpuFlags.Quarantined;
            _state.RefreshNode(_state.Gpus.NodeOf[g]);
        }
    }
}
